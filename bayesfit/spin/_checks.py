"""Input checks for the observables: on the host when values are concrete, else in jit.

Temperatures and measuring fields are data, usually concrete when the likelihood is traced
(closed over), so they are checked on the host with a :class:`BayesfitError`. When they are
traced, an ``equinox.error_if`` (one comparison) stops the computation instead of letting a
non-positive temperature turn into NaN.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

from ..errors import BayesfitError


class ParameterError(BayesfitError):
    """A parameter dict without a parameter the cluster needs."""


def positive(x, what: str, where: str = ""):
    """``x`` as a float array, refused when any value is not finite and > 0."""
    if isinstance(x, jax.core.Tracer):
        arr = jnp.asarray(x, float)
        return eqx.error_if(arr, ~(arr > 0), f"{what} must be > 0")
    arr = np.asarray(x, dtype=float)
    bad = ~np.isfinite(arr) | (arr <= 0)
    if np.any(bad):
        raise BayesfitError(
            f"{where}{what} must be finite and > 0; got {arr[bad].ravel()[:5].tolist()} "
            f"({int(bad.sum())} bad value(s) of {arr.size})."
        )
    return jnp.asarray(arr)


def check_params(params: Mapping, names: Iterable[str], where: str = "") -> None:
    """Refuse a parameter dict that lacks one of ``names`` (checked at trace time)."""
    if not isinstance(params, Mapping):
        raise ParameterError(
            f"{where}params must be a dict of parameter values, got {type(params).__name__}."
        )
    missing = [n for n in names if n not in params]
    if missing:
        raise ParameterError(
            f"{where}the parameter dict lacks {missing}; this cluster needs "
            f"{list(names)} (plus optional chi0, rho_imp, theta_imp, theta, zJ, g_imp). "
            f"Got {sorted(params)}."
        )
