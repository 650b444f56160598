"""Build the ArviZ ``xarray.DataTree`` of a fit from a method's :class:`Draws`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import xarray as xr

from .._version import __version__
from ._groups import as_dataset

_BATCH = 256
#: log_likelihood variable of a multi-dataset fit that holds every point (for PSIS-LOO)
ALL_DATA = "all_data"


def _dims(name: str, shape: tuple[int, ...]) -> list[str]:
    return [f"{name}_dim_{i}" for i in range(len(shape))]


def _sample_ds(arrays: Mapping[str, Any], chains: int, draws: int, units=None, attrs=None):
    units = units or {}
    data = {}
    for k, v in arrays.items():
        v = np.asarray(v)
        data[k] = xr.DataArray(
            v, dims=["chain", "draw", *_dims(k, v.shape[2:])],
            attrs={"units": units.get(k, "")} if k in units else {},
        )
    return xr.Dataset(
        data, coords={"chain": np.arange(chains), "draw": np.arange(draws)}, attrs=attrs or {}
    )


def map_draws(fn, z_flat):
    """``fn`` over rows of ``z_flat`` in batches (bounded memory, one compilation)."""
    n = jax.tree_util.tree_leaves(z_flat)[0].shape[0]
    return jax.lax.map(fn, z_flat, batch_size=min(_BATCH, n))


def build_tree(problem, draws, *, key, method: str, config: Mapping[str, Any],
               log_likelihood: bool, predictive: bool) -> xr.DataTree:
    """Posterior, sample_stats, observed/constant data, predictive, log likelihood, extras."""
    z = jnp.asarray(draws.z)
    chains, ndraw = int(z.shape[0]), int(z.shape[1])
    zf = z.reshape(chains * ndraw, -1)
    unflat = lambda a: np.asarray(a).reshape(chains, ndraw, *np.shape(a)[1:])  # noqa: E731

    post = jax.jit(lambda zz: map_draws(problem.constrain, zz))(zf)
    groups: dict[str, xr.Dataset] = {
        "posterior": _sample_ds({k: unflat(v) for k, v in post.items()}, chains, ndraw,
                                problem.units)
    }
    if draws.sample_stats:
        groups["sample_stats"] = _sample_ds(draws.sample_stats, chains, ndraw)

    obs, const = {}, {}
    for ds in problem.datasets:
        pd = [f"{ds.name}_point"]
        obs[ds.name] = xr.DataArray(ds.y, dims=pd, attrs={"units": ds.units.get("y", "")})
        xdims = pd + [f"{ds.name}_x_dim_{i}" for i in range(ds.x.ndim - 1)]
        const[f"{ds.name}_x"] = xr.DataArray(ds.x, dims=xdims,
                                             attrs={"units": ds.units.get("x", ""),
                                                    "long_name": ds.x_name})
        if ds.sigma is not None:
            const[f"{ds.name}_sigma"] = xr.DataArray(np.broadcast_to(ds.sigma, ds.y.shape),
                                                     dims=pd)
    groups["observed_data"] = xr.Dataset(obs)
    groups["constant_data"] = xr.Dataset(const)

    if predictive:
        keys = jax.random.split(key, zf.shape[0])

        def one(args):
            zz, kk = args
            p = problem.full(problem.constrain(zz))
            out = {}
            for i, ds in enumerate(problem.datasets):
                mu = ds.predict(p)
                out[f"mu_{ds.name}"] = mu
                out[ds.name] = mu + problem.noise_draw(ds, p, jax.random.fold_in(kk, i))
            return out

        pp = jax.jit(lambda a, b: map_draws(one, (a, b)))(zf, keys)
        pp_ds = {}
        for ds in problem.datasets:
            for name in (ds.name, f"mu_{ds.name}"):
                pp_ds[name] = xr.DataArray(
                    unflat(pp[name]), dims=["chain", "draw", f"{ds.name}_point"],
                    attrs={"units": ds.units.get("y", "")},
                )
        groups["posterior_predictive"] = xr.Dataset(
            pp_ds, coords={"chain": np.arange(chains), "draw": np.arange(ndraw)}
        )
    if log_likelihood:
        ll = jax.jit(lambda zz: map_draws(
            lambda q: problem.loo_pointwise_log_likelihood(problem.constrain(q)), zz))(zf)
        lls = {k: xr.DataArray(unflat(v), dims=["chain", "draw", f"{k}_point"])
               for k, v in ll.items()}
        if len(lls) > 1:  # one variable over every point, for arviz.loo(var_name=ALL_DATA)
            lls[ALL_DATA] = xr.DataArray(
                np.concatenate([a.values for a in lls.values()], axis=2),
                dims=["chain", "draw", f"{ALL_DATA}_point"],
                attrs={"datasets": ",".join(ll), "note": "the points of every dataset, "
                       "concatenated in this order: arviz.loo(tree, var_name='all_data')"})
        groups["log_likelihood"] = xr.Dataset(
            lls, coords={"chain": np.arange(chains), "draw": np.arange(ndraw)})
    groups.update({k: as_dataset(g) for k, g in draws.groups.items()})
    tree = xr.DataTree.from_dict(groups)
    tree.attrs.update({
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inference_library": "bayesfit",
        "inference_library_version": __version__,
        "method": method,
        "config": json.dumps(config, default=str),
        "parameter_units": json.dumps({k: problem.units.get(k, "") for k in problem.free}),
        "fixed_parameters": json.dumps(problem.fixed),
        **{k: v for k, v in draws.attrs.items() if isinstance(v, int | float | str)},
    })
    return tree
