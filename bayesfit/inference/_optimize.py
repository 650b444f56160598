"""Maximum a posteriori search with restarts (optimistix BFGS, vmapped over starts)."""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import optimistix as optx


class Optimum(NamedTuple):
    """Best point of a multi-start search, in the unconstrained space."""

    z: jax.Array  # (dim,) best point
    value: jax.Array  # log density at z
    all_z: jax.Array  # (restarts, dim) every end point
    all_values: jax.Array  # (restarts,)


def maximize(log_density, z0, *, rtol: float = 1e-8, atol: float = 1e-8, max_steps: int = 2000):
    """Maximise ``log_density(z)`` from every row of ``z0`` (shape ``(restarts, dim)``).

    Non-finite end points are ranked last. Returns an :class:`Optimum`.
    """
    solver = optx.BFGS(rtol=rtol, atol=atol)

    def neg(z, _):
        v = -log_density(z)
        return jnp.where(jnp.isfinite(v), v, 1e300)

    def one(start):
        sol = optx.minimise(neg, solver, start, max_steps=max_steps, throw=False)
        return sol.value

    ends = jax.jit(jax.vmap(one))(z0)
    vals = jax.jit(jax.vmap(log_density))(ends)
    vals = jnp.where(jnp.isfinite(vals), vals, -jnp.inf)
    best = jnp.argmax(vals)
    return Optimum(ends[best], vals[best], ends, vals)


def laplace_covariance(log_density, z):
    """Inverse of the negative Hessian of ``log_density`` at ``z`` (symmetrised).

    Raises ``numpy.linalg.LinAlgError``-free: a non-positive-definite Hessian gives NaNs,
    which the caller reports.
    """
    h = jax.hessian(log_density)(z)
    h = 0.5 * (h + h.T)
    return jnp.linalg.inv(-h)
