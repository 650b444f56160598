"""Physical admissibility of spin-cluster data, checked on the host before a fit.

``ForwardModel.validate`` of the ``spin_cluster`` kernel (``bayesfit/kernels/README.md``):
temperatures must be > 0 (the Boltzmann weights need 1/T), fields finite, and chi*T and
the heat capacity cannot be negative beyond their noise (a magnetic C and chi*T of a
paramagnetic cluster are >= 0; a negative curve is a sign error or the wrong column).
Without this, a T <= 0 row surfaces as a JAX traceback from inside the likelihood and a
negated chi*T "fits" with an absurd coupling.
"""

from __future__ import annotations

import numpy as np

#: how many noise standard deviations below zero a non-negative observable may fall
NEGATIVE_SIGMAS = 4.0


def _noise_scale(y: np.ndarray, sigma) -> np.ndarray:
    """The known sd, else a robust estimate from successive differences (MAD)."""
    if sigma is not None:
        return np.broadcast_to(np.asarray(sigma, dtype=float), y.shape)
    d = np.diff(y)
    mad = 1.4826 * np.median(np.abs(d - np.median(d))) / np.sqrt(2.0) if d.size else 0.0
    return np.full(y.shape, max(float(mad), 1e-12 * float(np.max(np.abs(y)))))


def validator(observable: str, x_units: str, y_units: str):
    """``validate(dataset) -> [(row, message), ...]`` for one observable."""
    temperature_x = observable != "magnetization"

    def validate(ds) -> list[tuple[int | None, str]]:
        x = np.asarray(ds.x, dtype=float)
        y = np.asarray(ds.y, dtype=float)
        out: list[tuple[int | None, str]] = []
        if temperature_x:
            for r in np.flatnonzero(x <= 0):
                out.append((int(r), f"temperature {ds.x_name} = {x[r]:g} {x_units}; "
                            "temperatures must be > 0 (remove the row or fix its units)"))
        else:
            for r in np.flatnonzero(~np.isfinite(x)):
                out.append((int(r), f"field {ds.x_name} = {x[r]} is not finite"))
        if observable in ("chiT", "heat_capacity"):
            what = "chi*T" if observable == "chiT" else "the heat capacity"
            floor = -NEGATIVE_SIGMAS * _noise_scale(y, ds.sigma)
            for r in np.flatnonzero(y < floor):
                out.append((int(r), f"{what} = {y[r]:g} {y_units} is negative beyond its "
                            f"noise ({NEGATIVE_SIGMAS:g} sd = {-floor[r]:.3g}); {what} of a "
                            "spin cluster is >= 0: check the sign, the column and its units"))
        return out

    return validate
