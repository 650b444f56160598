"""Posterior predictions of quantities that were not measured (credible bands)."""

from __future__ import annotations

from collections.abc import Mapping

import jax
import jax.numpy as jnp
import numpy as np
import xarray as xr

from ._tree import map_draws


def predict(result, problem, predictions: Mapping, *, max_draws: int = 400) -> xr.Dataset:
    """Evaluate each prediction on (at most ``max_draws``, evenly thinned) posterior draws.

    ``predictions`` maps names to :class:`bayesfit.kernels.Prediction`. Returns a Dataset
    with dims ``(sample, <grid_name>)`` and the grid as a coordinate; stored by the caller
    as the result group ``predictions``.
    """
    post = result.posterior
    n = post.sizes["chain"] * post.sizes["draw"]
    idx = np.unique(np.linspace(0, n - 1, min(n, max_draws)).round().astype(int))
    free = {k: jnp.asarray(result.draws(k)[idx]) for k in problem.free}
    data, coords = {}, {}
    for name, pred in predictions.items():
        grid = None if pred.grid is None else jnp.asarray(pred.grid, dtype=jnp.float64)

        def one(v, pred=pred, grid=grid):
            return pred.fn(problem.full(v), grid)

        vals = np.asarray(jax.jit(lambda f, one=one: map_draws(one, f))(free))
        dims = ["sample"]
        if grid is not None:
            gname = pred.grid_name or f"{name}_grid"
            coords[gname] = xr.DataArray(np.asarray(grid), dims=[gname],
                                         attrs={"units": pred.grid_units})
            dims.append(gname)
        dims += [f"{name}_dim_{i}" for i in range(vals.ndim - len(dims))]
        data[name] = xr.DataArray(vals, dims=dims,
                                  attrs={"units": pred.units, "description": pred.description})
    return xr.Dataset(data, coords=coords)
