"""Posterior predictions of quantities that were not measured (credible bands)."""

from __future__ import annotations

from collections.abc import Mapping

import jax
import jax.numpy as jnp
import numpy as np

from ._groups import PredictedQuantity, Predictions
from ._tree import map_draws


def predict(result, problem, predictions: Mapping, *, max_draws: int = 400) -> Predictions:
    """Evaluate each prediction on (at most ``max_draws``, evenly thinned) posterior draws.

    ``predictions`` maps names to :class:`bayesfit.kernels.Prediction`; ``problem`` is the
    problem the draws belong to. Returns the typed group :class:`Predictions` (draws
    ``(sample, <grid>)`` of every quantity); :func:`bayesfit.fit` stores it as the result
    group ``predictions`` when given ``predictions=``.
    """
    post = result.posterior
    n = post.sizes["chain"] * post.sizes["draw"]
    idx = np.unique(np.linspace(0, n - 1, min(n, max_draws)).round().astype(int))
    free = {k: jnp.asarray(result.draws(k)[idx]) for k in problem.free}
    grids = {name: None if pred.grid is None else jnp.asarray(pred.grid, dtype=jnp.float64)
             for name, pred in predictions.items()}

    def every(v):
        full = problem.full(v)
        return {name: pred.fn(full, grids[name]) for name, pred in predictions.items()}

    # all quantities in one compiled program, traced and compiled once: they often share
    # their work (one solve of the model per draw, which XLA may then merge), and one
    # program compiles faster than one per quantity (use case 3's three game predictions:
    # 7.0 -> under 4.5 s)
    values = jax.jit(lambda f: map_draws(every, f))(free)
    out = {}
    for name, pred in predictions.items():
        grid = grids[name]
        vals = np.asarray(values[name])
        out[name] = PredictedQuantity(
            vals, units=pred.units, description=pred.description,
            grid=None if grid is None else np.asarray(grid),
            grid_name=(pred.grid_name or f"{name}_grid") if grid is not None else "",
            grid_units=pred.grid_units if grid is not None else "")
    return Predictions(out)
