"""Restricted Boltzmann machine with {-1, +1} visible and {0, 1} hidden units.

Joint energy (dimensionless) ``E(s, h) = -a.s - b.h - h.W s`` for ``s in {-1,+1}^n``,
``h in {0,1}^m``, ``W`` of shape (m, n). Summing out ``h`` gives the free energy

    F(s) = -a.s - sum_j softplus(b_j + W_j.s),     q(s) = exp(-F(s)) / Z_q,

and the block-Gibbs conditionals ``P(h_j = 1 | s) = sigmoid(b_j + W_j.s)`` and
``P(s_i = +1 | h) = sigmoid(2 (a_i + sum_j h_j W_ji))``.

``Z_q`` is exact by enumerating the smaller layer: over visible states,
``Z = sum_s exp(-F(s))``; over hidden states,
``Z = sum_h exp(b.h) prod_i 2 cosh(a_i + (W^T h)_i)``. Otherwise use
:func:`bayesfit.ebm.ais_log_Z`.

Reference: G. E. Hinton, "A practical guide to training restricted Boltzmann machines",
UTML TR 2010-003; the +-1 visible form as in the prototype of docs/specs/ebm.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax import Array

from ._errors import OptionError, ShapeError
from ._states import DEFAULT_MAX_BYTES, check_enumerable, map_states


class RBMParams(NamedTuple):
    """RBM parameters (dimensionless couplings).

    Attributes:
        a: (``n,``) visible fields.
        b: (``m,``) hidden biases.
        W: (``m, n``) visible-hidden couplings.
    """

    a: Array
    b: Array
    W: Array


def _log2cosh(x: Array) -> Array:
    return jnp.logaddexp(x, -x)


@dataclass(frozen=True)
class RBM:
    """An RBM architecture (hashable, static under ``jit``); parameters live in
    :class:`RBMParams`.

    Args:
        n_visible: number of +-1 visible units ``n``.
        n_hidden: number of 0/1 hidden units ``m``.
    """

    n_visible: int
    n_hidden: int

    def __post_init__(self):
        for name in ("n_visible", "n_hidden"):
            v = getattr(self, name)
            if not isinstance(v, int) or v < 1:
                raise OptionError(f"RBM: {name} must be a positive integer, got {v!r}.")

    # -- parameters -------------------------------------------------------------------
    def init(self, key: Array, scale: float = 0.01) -> RBMParams:
        """``W ~ N(0, scale**2)``, biases zero (the prototype's initialisation)."""
        W = scale * jax.random.normal(key, (self.n_hidden, self.n_visible))
        return RBMParams(a=jnp.zeros(self.n_visible), b=jnp.zeros(self.n_hidden), W=W)

    def check_params(self, params: RBMParams) -> None:
        """Raise :class:`ShapeError` if ``params`` do not fit this architecture."""
        want = {"a": (self.n_visible,), "b": (self.n_hidden,),
                "W": (self.n_hidden, self.n_visible)}
        for name, shape in want.items():
            got = jnp.shape(getattr(params, name))
            if got != shape:
                raise ShapeError(
                    f"RBM({self.n_visible}, {self.n_hidden}): parameter {name} must have "
                    f"shape {shape}, got {got}. Build parameters with RBM.init."
                )

    # -- energies ---------------------------------------------------------------------
    def free_energy(self, params: RBMParams, s: Array) -> Array:
        """Free energy ``F(s)`` (dimensionless) of spins ``s`` (``..., n``) -> (``...``)."""
        pre = s @ params.W.T + params.b
        return -(s @ params.a) - jnp.sum(jax.nn.softplus(pre), axis=-1)

    def log_unnormalised(self, params: RBMParams, s: Array) -> Array:
        """``u(s) = log q~(s) = -F(s)``."""
        return -self.free_energy(params, s)

    # -- conditionals -----------------------------------------------------------------
    def hidden_prob(self, params: RBMParams, s: Array) -> Array:
        """``P(h_j = 1 | s)``, shape (``..., m``)."""
        return jax.nn.sigmoid(s @ params.W.T + params.b)

    def visible_prob(self, params: RBMParams, h: Array) -> Array:
        """``P(s_i = +1 | h)``, shape (``..., n``)."""
        return jax.nn.sigmoid(2.0 * (h @ params.W + params.a))

    def sample_hidden(self, key: Array, params: RBMParams, s: Array) -> Array:
        return jax.random.bernoulli(key, self.hidden_prob(params, s)).astype(s.dtype)

    def sample_visible(self, key: Array, params: RBMParams, h: Array) -> Array:
        up = jax.random.bernoulli(key, self.visible_prob(params, h))
        return jnp.where(up, 1.0, -1.0).astype(h.dtype)

    # -- partition function -----------------------------------------------------------
    def log_Z(self, params: RBMParams, method: str = "auto",
              max_bytes: int = DEFAULT_MAX_BYTES) -> Array:
        """Exact ``log Z_q`` by enumerating a layer.

        ``method``: ``"visible"`` (2**n terms), ``"hidden"`` (2**m terms) or ``"auto"``
        (the smaller layer). Refuses layers that are too large to enumerate; use
        :func:`bayesfit.ebm.ais_log_Z` then.
        """
        if method == "auto":
            method = "hidden" if self.n_hidden < self.n_visible else "visible"
        if method == "visible":
            check_enumerable(self.n_visible, what="RBM visible layer", max_bytes=max_bytes)
            return _log_Z_visible(self, params)
        if method == "hidden":
            check_enumerable(self.n_hidden, what="RBM hidden layer", max_bytes=max_bytes)
            return _log_Z_hidden(self, params)
        raise OptionError(
            f"RBM.log_Z: method must be 'auto', 'visible' or 'hidden', got {method!r}; "
            "for large layers use bayesfit.ebm.ais_log_Z."
        )

    def enumerate(self, params: RBMParams, max_bytes: int = DEFAULT_MAX_BYTES) -> Array:
        """Normalised ``log q(s)`` of all ``2**n`` visible states (index order)."""
        check_enumerable(self.n_visible, what="RBM visible layer", max_bytes=max_bytes)
        return _log_q_all(self, params)


@partial(jax.jit, static_argnums=0)
def _log_q_all(rbm: RBM, params: RBMParams) -> Array:
    u = map_states(lambda s: rbm.log_unnormalised(params, s), rbm.n_visible)
    return u - jax.nn.logsumexp(u)


@partial(jax.jit, static_argnums=0)
def _log_Z_visible(rbm: RBM, params: RBMParams) -> Array:
    u = map_states(lambda s: rbm.log_unnormalised(params, s), rbm.n_visible)
    return jax.nn.logsumexp(u)


@partial(jax.jit, static_argnums=0)
def _log_Z_hidden(rbm: RBM, params: RBMParams) -> Array:
    def terms(h):
        return h @ params.b + jnp.sum(_log2cosh(h @ params.W + params.a), axis=-1)

    return jax.nn.logsumexp(map_states(terms, rbm.n_hidden, alphabet="01"))
