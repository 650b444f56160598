"""Maximum a posteriori search with restarts (optimistix BFGS; starts looped on a CPU, vmapped
on an accelerator)."""

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


def _over_starts(fn, z0):
    """``fn`` applied to every row of ``z0``, jitted: one start after another on a CPU, all
    at once (vmapped) on an accelerator. A vmapped BFGS loop evaluates every lane until the
    slowest start has converged, and an adaptive ODE solve in one lane holds the others
    hostage (the linear-VAE example: 32 vmapped starts ran over 5 minutes); on a CPU a batch
    buys little, so a loop costs the sum of the starts, never more."""
    if jax.default_backend() == "cpu":
        return jax.jit(lambda z: jax.lax.map(fn, z))(z0)
    return jax.jit(jax.vmap(fn))(z0)


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

    ends = _over_starts(one, z0)
    vals = jax.jit(jax.vmap(log_density))(ends)
    vals = jnp.where(jnp.isfinite(vals), vals, -jnp.inf)
    best = jnp.argmax(vals)
    return Optimum(ends[best], vals[best], ends, vals)


def fd_laplace_covariance(log_density, z, *, h: float = 1e-4):
    """Laplace covariance from a central-difference Hessian of the (reverse-mode) gradient:
    ``2 dim`` gradient evaluations. For models that are only reverse-differentiable (ODE
    kernels through diffrax's reverse-only adjoint), where forward-over-reverse
    ``jax.hessian`` is unavailable."""
    grad = jax.jit(jax.grad(log_density))
    eye = jnp.eye(z.shape[0])
    cols = [(grad(z + h * e) - grad(z - h * e)) / (2 * h) for e in eye]
    H = jnp.stack(cols, axis=1)
    return jnp.linalg.inv(-0.5 * (H + H.T))


def laplace_covariance(log_density, z):
    """Inverse of the negative Hessian of ``log_density`` at ``z`` (symmetrised).

    Exact (``jax.hessian``) where forward-mode differentiation is available, else from
    finite differences of the gradient (:func:`fd_laplace_covariance`), which also
    replaces an exact Hessian with non-finite entries (forward-over-reverse through
    ``eigh`` at exactly degenerate levels divides by zero). A
    non-positive-definite Hessian gives NaNs or negative variances, which callers check.
    """
    try:  # jitted: traced once and compiled as one program (eagerly, every primitive of
        # the density would be dispatched, and a diffrax solve compiled, before the error)
        h = jax.jit(jax.hessian(log_density))(z)
    except TypeError:  # "can't apply forward-mode autodiff (jvp) to a custom_vjp function"
        return fd_laplace_covariance(log_density, z)
    if not bool(jnp.all(jnp.isfinite(h))):  # e.g. second derivatives of eigh at degeneracies
        return fd_laplace_covariance(log_density, z)
    h = 0.5 * (h + h.T)
    return jnp.linalg.inv(-h)
