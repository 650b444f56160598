"""Maximum a posteriori search with restarts (SciPy's BFGS on the compiled density and
gradient on a CPU, optimistix's BFGS vmapped on an accelerator) and Laplace covariances."""

from __future__ import annotations

import warnings
from collections import OrderedDict
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import optimistix as optx
import scipy.optimize


class Optimum(NamedTuple):
    """Best point of a multi-start search, in the unconstrained space."""

    z: jax.Array  # (dim,) best point
    value: jax.Array  # log density at z
    all_z: jax.Array  # (restarts, dim) every end point
    all_values: jax.Array  # (restarts,)


_COMPILED: OrderedDict = OrderedDict()
_KEEP = 4  # densities whose compiled (value, gradient) are kept


def value_and_grad(log_density):
    """``z -> (log_density(z), gradient)``, jitted once per density (the last few are kept):
    the MAP search on a CPU, the finite-difference Laplace covariances and the distinct
    optima of one fit share one compiled program instead of compiling one each."""
    try:
        fn = _COMPILED.pop(log_density)
    except (KeyError, TypeError):  # TypeError: an unhashable callable (not cached)
        fn = jax.jit(jax.value_and_grad(log_density))
    try:
        _COMPILED[log_density] = fn
        while len(_COMPILED) > _KEEP:
            _COMPILED.popitem(last=False)
    except TypeError:
        pass
    return fn


def _bfgs_on_host(log_density, z0, *, gtol: float, max_steps: int):
    """Every row of ``z0`` maximised one after another by SciPy's BFGS on the compiled
    (value, gradient) of ``log_density``: end points and their log densities."""
    vg = value_and_grad(log_density)

    def neg(z):
        v, g = vg(jnp.asarray(z))
        v, g = float(v), np.asarray(g, dtype=float)
        if not (np.isfinite(v) and np.all(np.isfinite(g))):
            return 1e300, np.zeros_like(g)  # outside the model's domain: back off
        return -v, -g

    ends, vals = [], []
    for start in np.asarray(z0, dtype=float):
        f0, _ = neg(start)
        if f0 >= 1e300:  # no finite density to climb from: ranked last
            ends.append(start)
            vals.append(-np.inf)
            continue
        with warnings.catch_warnings():  # "precision loss" at a converged optimum
            warnings.simplefilter("ignore", RuntimeWarning)
            sol = scipy.optimize.minimize(neg, start, jac=True, method="BFGS",
                                          options={"gtol": gtol, "maxiter": max_steps})
        ends.append(sol.x)
        vals.append(-float(sol.fun) if sol.fun < 1e300 else -np.inf)
    return jnp.asarray(np.stack(ends)), jnp.asarray(vals)


def maximize(log_density, z0, *, rtol: float = 1e-8, atol: float = 1e-8, gtol: float = 1e-6,
             max_steps: int = 2000):
    """Maximise ``log_density(z)`` from every row of ``z0`` (shape ``(restarts, dim)``).

    On a CPU the starts run one after another through SciPy's BFGS on the jitted
    (value, gradient) of the density (:func:`value_and_grad`; tolerance ``gtol`` on the
    largest gradient component): only the density and its gradient are compiled, shared
    with the Laplace covariance, and a slow start costs only its own time. On an
    accelerator the starts run vmapped through optimistix's BFGS (``rtol``, ``atol``), one
    compiled program with no host round trip. Non-finite end points are ranked last.
    Returns an :class:`Optimum`.
    """
    if jax.default_backend() == "cpu":
        ends, vals = _bfgs_on_host(log_density, z0, gtol=gtol, max_steps=max_steps)
    else:
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


def fd_hessian(grad, z, *, h: float = 1e-4) -> np.ndarray:
    """Symmetrised central-difference Hessian from ``grad`` (``2 dim`` gradient calls), with
    per-coordinate steps: a first pass at ``h`` gives each coordinate's Laplace width
    ``s_i``, the second steps ``1e-2 s_i`` (at most ``h``), so that the truncation error
    (relative ``(step / s)**2``) stays near 1e-4 however sharp the posterior is."""
    z = np.asarray(z, dtype=float)

    def hess(steps):
        cols = []
        for i, hi in enumerate(steps):
            e = np.zeros_like(z)
            e[i] = hi
            cols.append((np.asarray(grad(jnp.asarray(z + e))) -
                         np.asarray(grad(jnp.asarray(z - e)))) / (2 * hi))
        H = np.stack(cols, axis=1)
        return 0.5 * (H + H.T)

    H = hess(np.full(z.size, h))
    d = -np.diag(H)
    if np.all(np.isfinite(H)) and np.all(d > 0):
        H = hess(np.minimum(h, 1e-2 / np.sqrt(d)))
    return H


def fd_laplace_covariance(log_density, z, *, h: float = 1e-4):
    """Laplace covariance from a finite-difference Hessian of the reverse-mode gradient
    (:func:`fd_hessian`, on the shared compiled :func:`value_and_grad`). For models that
    are only reverse-differentiable (ODE kernels through diffrax's reverse-only adjoint),
    and wherever the exact Hessian's separate compilation is not worth it (a start point,
    a metric)."""
    vg = value_and_grad(log_density)
    H = fd_hessian(lambda x: vg(x)[1], z, h=h)
    try:
        return jnp.asarray(np.linalg.inv(-H))
    except np.linalg.LinAlgError:
        return jnp.full(H.shape, jnp.nan)


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
