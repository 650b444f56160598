"""What every objective sees: per-sample log-weights, target log-weights and weights.

Notation (docs/specs/ebm.md, section 1.4): target ``p~(x) = exp(-E(x))``, model
``q~(x) = exp(u(x))`` with ``u = -F`` the negative RBM free energy, and the log ratio

    d(x) = u(x) - log p~(x) = log q~(x) - log p~(x).

Both partition functions drop out of everything built from differences of ``d``.

An objective is a frozen dataclass with ``loss(data, model) -> scalar``: a *surrogate*
whose ``jax.grad`` with respect to the parameters inside ``u`` equals the objective's
gradient estimator. Sample weights are always treated as constants (``stop_gradient``);
where the true objective depends on ``q`` through the sampling distribution, a
score-function term ``E_q[stop_grad(g - E_q g) u]`` supplies that part of the gradient
(``grad E_q[g] = E_q[grad g] + Cov_q(g, grad u)``). With exact weights (enumeration) the
gradient is exact; with PCD samples it is the usual Monte Carlo estimator.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
from jax import Array

sg = jax.lax.stop_gradient


class Terms(NamedTuple):
    """Per-sample quantities of one sample set.

    Attributes:
        u: (``N,``) model log-weights ``u(x) = -F(x)`` (differentiable).
        log_p: (``N,``) target log-weights ``-E(x)`` (constants; unused by forward KL).
        w: (``N,``) normalised weights of the samples.
    """

    u: Array
    log_p: Array
    w: Array

    @property
    def d(self) -> Array:
        """Log ratio ``d = u - log p~``."""
        return self.u - self.log_p


def mean(w: Array, f: Array) -> Array:
    """``E_w[f] = sum(w * f)`` with the weights held constant."""
    return jnp.sum(sg(w) * f)


def variance(w: Array, f: Array) -> Array:
    """``Var_w[f]`` with the weights held constant (differentiable in ``f``)."""
    c = f - mean(w, f)
    return mean(w, c * c)


def score_term(w: Array, g: Array, u: Array) -> Array:
    """Surrogate whose gradient is ``Cov_w(g, grad u)`` (``g`` treated as constant)."""
    g = sg(g)
    return mean(w, (g - mean(w, g)) * u)
