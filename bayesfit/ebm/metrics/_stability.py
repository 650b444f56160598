"""Stability of training across seeds and along the trajectory."""

from __future__ import annotations

import numpy as np


def max_relapse(series) -> np.ndarray:
    """Largest relative rise of a positive, to-be-minimised series above its running
    minimum: ``max_t log(x_t / min_{s<=t} x_s)`` along the last axis (0 = monotone).
    A scale-free measure of how far training fell back after a good point."""
    x = np.asarray(series, dtype=float)
    x = np.maximum(x, np.finfo(float).tiny)
    run_min = np.minimum.accumulate(x, axis=-1)
    return np.max(np.log(x / run_min), axis=-1)


def stability(history, finals: dict[str, np.ndarray] | None = None,
              tail: float = 0.5) -> dict[str, float]:
    """Stability summary of a :class:`bayesfit.ebm.FitResult` history (``seeds, steps``).

    Returns:
        ``diverged``: fraction of seeds with any non-finite (skipped) step;
        ``relapse``: mean over seeds of :func:`max_relapse` of the per-step data
        energy-fit error (nats, log scale);
        ``grad_cv``: mean over seeds of the coefficient of variation of the gradient norm
        over the last ``tail`` of training;
        and for each entry of ``finals`` (per-seed final metrics) ``<name>_seed_sd``.
    """
    finite = np.asarray(history.finite)
    out = {"diverged": float(np.mean(~np.all(finite, axis=-1)))}
    out["relapse"] = float(np.mean(max_relapse(np.asarray(history.energy_error_data))))
    g = np.asarray(history.grad_norm)
    g = g[..., int(g.shape[-1] * (1 - tail)):]
    out["grad_cv"] = float(np.mean(np.std(g, axis=-1) / np.maximum(np.mean(g, axis=-1),
                                                                 1e-300)))
    for k, v in (finals or {}).items():
        v = np.asarray(v, dtype=float)
        if v.ndim == 1:
            out[f"{k}_seed_sd"] = float(np.std(v, ddof=1)) if v.size > 1 else 0.0
    return out
