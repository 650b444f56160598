"""The distinct optima of a multi-start MAP search, and the posterior weight of each.

A multi-start search (:func:`._optimize.maximize`) ends in as many points as it had
starts. Many end in the same optimum; the rest are the other modes of the posterior
(mirror modes of exchangeable couplings, or genuinely different solutions such as a
ferro/antiferro swap), which a sampler started at the best one never sees. Here the end
points are clustered into distinct optima and each gets

* its log density (the unconstrained target that was maximised, and the log posterior in
  natural units), the parameter values and their Laplace standard deviations;
* a Laplace log evidence ``log Z_k = log p(z_k) + (d/2) log 2 pi + (1/2) log det Sigma_k``
  (Sigma_k the inverse negative Hessian in the unconstrained space) and the Laplace weight
  ``Z_k / sum_l Z_l`` over the optima that are proper local maxima;
* when a sampler ran, the sampled weight: the fraction of draws nearest to it (in the
  metric of each optimum's Laplace covariance), with its spread over chains;
* ``mirror_of``: the better optimum it is the image of under an exact symmetry of the
  model (``Problem.symmetries``), or -1.

Clustering: end points are taken best first; one joins an optimum when its distance to
it, scaled by that optimum's Laplace widths (``sqrt(dz^T H dz)``, H the negative
Hessian), is below ``tol``; otherwise it founds a new optimum. An optimum whose Newton
step is not small (``g^T Sigma g > 1``: BFGS stopped early, e.g. running off to a prior
boundary) or whose Hessian is not negative definite is kept in the table but gets no
Laplace weight.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
import xarray as xr

from ._optimize import Optimum, fd_laplace_covariance, value_and_grad

_LOG_2PI = math.log(2.0 * math.pi)


class Mode(NamedTuple):
    """One distinct optimum in the unconstrained space."""

    z: np.ndarray  # (dim,)
    value: float  # log density (unconstrained target) at z
    cov: np.ndarray  # (dim, dim) Laplace covariance (NaN when undefined)
    precision: np.ndarray  # (dim, dim) metric for distances
    proper: bool  # Hessian negative definite and Newton step small
    starts: int  # restarts that ended here


def _metric(cov: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, bool]:
    ok = bool(np.all(np.isfinite(cov)))
    if ok:
        try:
            np.linalg.cholesky(cov)
            return np.linalg.inv(cov), True
        except np.linalg.LinAlgError:
            pass
    scale = 1e-3 * (1.0 + np.abs(z))  # fallback: a relative Euclidean metric
    return np.diag(1.0 / scale**2), False


def distinct_optima(log_density, opt: Optimum, *, tol: float = 3.0,
                    max_modes: int = 12) -> list[Mode]:
    """Cluster the end points of ``opt`` into distinct optima, best first (see module)."""
    ends, vals = np.asarray(opt.all_z), np.asarray(opt.all_values)
    order = [i for i in np.argsort(-vals) if np.isfinite(vals[i])]
    vg = value_and_grad(log_density)  # compiled once (shared with the MAP search)
    grad = lambda x: vg(x)[1]  # noqa: E731
    modes: list[Mode] = []
    for i in order:
        z = ends[i]
        hit = None
        for k, m in enumerate(modes):
            dz = z - m.z
            if float(dz @ m.precision @ dz) < tol**2:
                hit = k
                break
        if hit is not None:
            modes[hit] = modes[hit]._replace(starts=modes[hit].starts + 1)
            continue
        if len(modes) >= max_modes:
            continue
        # finite differences of the shared compiled gradient (cheap to compile; also for
        # reverse-only models)
        cov = np.asarray(fd_laplace_covariance(log_density, z))
        prec, ok = _metric(cov, z)
        if ok:
            g = np.asarray(grad(jnp.asarray(z)))
            ok = bool(np.isfinite(g).all() and g @ cov @ g < 1.0)
        modes.append(Mode(z, float(vals[i]), cov, prec, ok, 1))
    return modes


def laplace_log_evidence(mode: Mode) -> float:
    """Laplace approximation of the log evidence of the region of ``mode`` (nats)."""
    if not mode.proper:
        return float("nan")
    _, logdet = np.linalg.slogdet(mode.cov)
    return mode.value + 0.5 * mode.z.size * _LOG_2PI + 0.5 * float(logdet)


def laplace_weights(modes: list[Mode]) -> np.ndarray:
    """Posterior weight of each optimum from the Laplace evidences (0 for improper)."""
    log_z = np.array([laplace_log_evidence(m) for m in modes])
    good = np.isfinite(log_z)
    w = np.zeros(len(modes))
    if good.any():
        a = log_z[good] - log_z[good].max()
        w[good] = np.exp(a) / np.exp(a).sum()
    return w


def assign(z_draws, modes: list[Mode]) -> np.ndarray:
    """Index of the nearest optimum of every draw (``z_draws``: ``(..., dim)``), in the
    scaled metric of each optimum."""
    z = np.asarray(z_draws)
    flat = z.reshape(-1, z.shape[-1])
    d2 = np.stack([np.einsum("ni,ij,nj->n", flat - m.z, m.precision, flat - m.z)
                   for m in modes], axis=-1)
    return np.argmin(d2, axis=-1).reshape(z.shape[:-1])


def sampled_weights(labels: np.ndarray, n_modes: int) -> tuple[np.ndarray, np.ndarray]:
    """Fraction of draws per optimum (``labels``: ``(chains, draws)``) and its standard
    error from the spread over chains (NaN with one chain)."""
    per_chain = np.stack([(labels == k).mean(axis=1) for k in range(n_modes)], axis=-1)
    mean = per_chain.mean(axis=0)
    c = per_chain.shape[0]
    err = per_chain.std(axis=0, ddof=1) / np.sqrt(c) if c > 1 else np.full(n_modes, np.nan)
    return mean, err


def mirror_image(problem, z, ren: dict) -> np.ndarray:
    """The unconstrained point ``z`` with its parameters renamed by ``ren`` (one of
    ``Problem.symmetries``): its mirror image under that exact symmetry."""
    values = problem.constrain(jnp.asarray(z))
    image = dict(values)
    image.update({ren[a]: values[a] for a in ren if a in values and ren[a] in values})
    return np.asarray(problem.unconstrain(image))


def _mirrors(problem, modes: list[Mode], tol: float) -> np.ndarray:
    out = np.full(len(modes), -1)
    if not problem.symmetries:
        return out
    for k, m in enumerate(modes):
        for ren in problem.symmetries:
            zi = mirror_image(problem, m.z, ren)
            if not np.all(np.isfinite(zi)):
                continue
            for j in range(k):
                dz = zi - modes[j].z
                if float(dz @ modes[j].precision @ dz) < tol**2:
                    out[k] = j
                    break
            if out[k] >= 0:
                break
    return out


def _natural_sd(problem, z: np.ndarray, cov: np.ndarray) -> dict[str, np.ndarray]:
    flat = lambda zz: jnp.concatenate(  # noqa: E731
        [jnp.ravel(v) for v in problem.constrain(zz).values()])
    jac = np.asarray(jax.jacfwd(flat)(jnp.asarray(z)))  # bijectors only: cheap
    var = np.einsum("ij,jk,ik->i", jac, cov, jac)
    out, i = {}, 0
    for k in problem.free:
        n = problem.sizes[k]
        out[k] = np.sqrt(np.where(var[i:i + n] >= 0, var[i:i + n], np.nan)).reshape(
            problem.shapes[k])
        i += n
    return out


def optima_group(problem, opt: Optimum, *, tol: float = 3.0,
                 max_modes: int = 12) -> tuple[xr.Dataset, list[Mode]]:
    """The result group ``optima`` (dimension ``optimum``, best first) and the modes."""
    modes = distinct_optima(problem.log_density_z, opt, tol=tol, max_modes=max_modes)
    names = problem.parameter_names
    values = [problem.constrain(jnp.asarray(m.z)) for m in modes]
    sds = [_natural_sd(problem, m.z, m.cov) for m in modes]
    log_posterior = jax.jit(problem.log_posterior)
    data = {}
    for k in names:
        extra = [f"{k}_dim_{i}" for i in range(len(problem.shapes[k]))]
        unit = {"units": problem.units.get(k, "")}
        data[k] = xr.DataArray(np.stack([np.asarray(v[k]) for v in values]),
                               dims=["optimum", *extra], attrs=unit)
        data[f"{k}_sd"] = xr.DataArray(np.stack([s[k] for s in sds]), dims=["optimum", *extra],
                                       attrs={**unit, "long_name": f"Laplace sd of {k}"})
    log_post = [float(log_posterior(v)) for v in values]
    n = len(modes)
    data.update({
        "log_density": xr.DataArray([m.value for m in modes], dims=["optimum"], attrs={
            "units": "nats", "long_name": "log density of the unconstrained target (maximised)"}),
        "log_posterior": xr.DataArray(log_post, dims=["optimum"], attrs={
            "units": "nats", "long_name": "log prior + log likelihood, natural units"}),
        "laplace_log_evidence": xr.DataArray([laplace_log_evidence(m) for m in modes],
                                             dims=["optimum"], attrs={"units": "nats"}),
        "laplace_weight": xr.DataArray(laplace_weights(modes), dims=["optimum"],
                                       attrs={"units": "1"}),
        "sampled_weight": xr.DataArray(np.full(n, np.nan), dims=["optimum"],
                                       attrs={"units": "1"}),
        "sampled_weight_err": xr.DataArray(np.full(n, np.nan), dims=["optimum"],
                                           attrs={"units": "1"}),
        "starts": xr.DataArray([m.starts for m in modes], dims=["optimum"]),
        "proper": xr.DataArray([m.proper for m in modes], dims=["optimum"]),
        "mirror_of": xr.DataArray(_mirrors(problem, modes, tol), dims=["optimum"]),
        "z": xr.DataArray(np.stack([m.z for m in modes]), dims=["optimum", "z"]),
        "z_cov": xr.DataArray(np.stack([m.cov for m in modes]), dims=["optimum", "z", "z_"]),
    })
    attrs = {"z_names": ",".join(names), "restarts": int(np.asarray(opt.all_values).size),
             "tol": tol, "exchangeable": ";".join(",".join(g) for g in problem.exchangeable),
             "order": ";".join(",".join(c) for c in problem.order)}
    return xr.Dataset(data, coords={"optimum": np.arange(n)}, attrs=attrs), modes


def add_sampled_weights(group: xr.Dataset, z_draws) -> tuple[xr.Dataset, np.ndarray]:
    """Assign the draws ``(chains, draws, dim)`` to the optima of ``group``; return the
    group with ``sampled_weight(_err)`` filled in and the labels ``(chains, draws)``."""
    z = np.asarray(group["z"].values)
    covs = np.asarray(group["z_cov"].values)
    modes = [Mode(z[k], 0.0, covs[k], _metric(covs[k], z[k])[0], True, 0)
             for k in range(z.shape[0])]
    labels = assign(z_draws, modes)
    w, err = sampled_weights(labels, len(modes))
    out = group.copy()
    out["sampled_weight"] = xr.DataArray(w, dims=["optimum"], attrs={"units": "1"})
    out["sampled_weight_err"] = xr.DataArray(err, dims=["optimum"], attrs={"units": "1"})
    return out, labels
