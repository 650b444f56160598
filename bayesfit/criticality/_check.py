"""Does the data collapse hold? Leave-one-size-out prediction, scaling vs no scaling.

For every posterior draw the GP gives the exact Gaussian conditional of one size's data
given all other sizes, ``log p(A_L | A_-L, theta)`` (:func:`_gp.block_conditional_logpdf`,
with the Jacobian of A -> scaled data). Pareto-smoothed importance sampling over the
draws (``arviz.loo``, one "observation" per size) turns these into the expected log
predictive density of each size left out. A scaling collapse that is real predicts a
new size much better than the no-scaling model ``A_L(T) = f(T)``; a smooth crossover
without a transition does not, and its posterior of c1 = 1/nu runs to 0 and of T_c
over the prior range. :func:`check_scaling` reports all three.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from . import _gp
from ._fss import FSSModel, FSSResult, fit_fss, hyper, scaled_data
from ._posterior import SamplerOptions


def size_pointwise_loglik(result: FSSResult, n_draws: int = 200, i: int = 0) -> np.ndarray:
    """``log p(A_L | A_-L, theta_s)``, shape (chain, draw', n_sizes), for table ``i``."""
    table, model = result.tables[i], result.models[i]
    sizes = table.sizes
    blocks = [np.flatnonzero(table.size == s) for s in sizes]
    n_chain, n_draw = next(iter(result.draws.values())).shape
    stride = max(1, (n_chain * n_draw) // n_draws)
    names = list(result.theta({k: k for k in result.draws}, i))
    full = {k: result.draws[result.theta({n: n for n in result.draws}, i)[k]][:, ::stride]
            for k in names}

    def one(th):
        x, y, e, _ = scaled_data(th, table, model)
        amp, length, mean = hyper(th, x, y, e)
        lp = _gp.block_conditional_logpdf(x, y, e**2, amp, length, mean, blocks)
        if model.scaling:
            # Jacobian of A -> y inside each block: y = A exp(-log_factor)
            log_factor = jnp.log(jnp.asarray(e)) - jnp.log(jnp.asarray(table.error))
            lp = lp + jnp.stack([jnp.sum(log_factor[b]) for b in blocks])
        return lp

    flat = {k: jnp.asarray(v.reshape(-1)) for k, v in full.items()}
    out = jax.jit(jax.vmap(one))(flat)
    return np.asarray(out).reshape(n_chain, -1, len(sizes))


def size_elpd(result: FSSResult, n_draws: int = 200, i: int = 0):
    """PSIS leave-one-size-out: ``(elpd per size, max Pareto k)`` via ``arviz.loo``."""
    import arviz
    from arviz_base import from_dict

    ll = size_pointwise_loglik(result, n_draws, i)
    post = {"dummy": np.zeros(ll.shape[:2])}
    tree = from_dict({"posterior": post, "log_likelihood": {"A": ll}},
                     dims={"A": ["size"]})
    loo = arviz.loo(tree, pointwise=True)
    return np.asarray(loo.elpd_i).reshape(-1), float(np.max(np.asarray(loo.pareto_k)))


@dataclass
class ScalingCheck:
    """Outcome of :func:`check_scaling` (elpd in nats, summed over sizes left out)."""

    elpd_scaling: float
    elpd_no_scaling: float
    delta_elpd: float
    delta_se: float
    c1_interval: tuple
    tc_interval: tuple
    tc_prior_width: float
    pareto_k: float

    @property
    def scaling_supported(self) -> bool:
        """Collapse predicts left-out sizes better than no scaling (by > 2 SE), 1/nu is
        away from 0 and T_c is located (95 % interval < 1/4 of its prior range)."""
        return bool(self.delta_elpd > 2 * self.delta_se and self.c1_interval[0] > 0.05
                    and (self.tc_interval[1] - self.tc_interval[0])
                    < 0.25 * self.tc_prior_width)

    def row(self) -> dict[str, float]:
        """The numbers as one table row (intervals as ``_lo``/``_hi`` columns)."""
        return {"elpd_scaling": self.elpd_scaling, "elpd_no_scaling": self.elpd_no_scaling,
                "delta_elpd": self.delta_elpd, "delta_se": self.delta_se,
                "c1_lo": self.c1_interval[0], "c1_hi": self.c1_interval[1],
                "tc_lo": self.tc_interval[0], "tc_hi": self.tc_interval[1],
                "tc_prior_width": self.tc_prior_width, "pareto_k": self.pareto_k}

    def report(self) -> str:
        verdict = "finite-size scaling supported" if self.scaling_supported else (
            "NO finite-size scaling: no confident T_c")
        return (f"{verdict}: delta elpd (scaling - no scaling, leave one size out) = "
                f"{self.delta_elpd:.1f} +- {self.delta_se:.1f} nats; 1/nu 95% "
                f"[{self.c1_interval[0]:.3g}, {self.c1_interval[1]:.3g}]; T_c 95% "
                f"[{self.tc_interval[0]:.4g}, {self.tc_interval[1]:.4g}] of a prior range "
                f"{self.tc_prior_width:.3g}; max Pareto k {self.pareto_k:.2f}")


def check_scaling(result: FSSResult, options: SamplerOptions | None = None,
                  n_draws: int = 200) -> ScalingCheck:
    """Fit the no-scaling model to the same table and compare leave-one-size-out."""
    table = result.table
    none = fit_fss(table, FSSModel(scaling=False), options or result.options)
    e_s, k_s = size_elpd(result, n_draws)
    e_n, k_n = size_elpd(none, n_draws)
    d = e_s - e_n
    se = float(np.sqrt(d.size * np.var(d)))
    lo, hi = result.interval("tc")
    prior = result.models[0].priors.tc or (table.temperature.min(), table.temperature.max())
    return ScalingCheck(float(e_s.sum()), float(e_n.sum()), float(d.sum()), se,
                        result.interval("c1"), (lo, hi), float(prior[1] - prior[0]),
                        max(k_s, k_n))
