"""Single-size peak model: ``log chi(T) = c - gamma log(|T - T_c| + delta) + noise``.

``delta > 0`` absorbs the finite-size rounding of the peak. The noise on log chi has
standard deviation ``sqrt((dchi/chi)^2 + sigma^2)`` (``sigma``: an extra scatter).
Priors: T_c ~ U(T_min, T_max), gamma ~ U(0, 5), log delta ~ N(log(range/20), 1.5),
c ~ N(max log chi, 5), sigma ~ HalfNormal(0.1). Spec: shared/specs/sequences.md 4.3.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist

from ..errors import BayesfitError
from ._posterior import SamplerOptions, sample


def peak_mean(theta, temperature):
    """``c - gamma log(|T - T_c| + delta)``: the model's log chi (natural log)."""
    return theta["c"] - theta["gamma"] * jnp.log(jnp.abs(temperature - theta["tc"])
                                                 + jnp.exp(theta["log_delta"]))


@dataclass
class PeakResult:
    """Posterior draws ``{name: (chain, draw)}`` of :func:`fit_peak`."""

    draws: dict
    divergences: int

    def interval(self, name: str, prob: float = 0.95) -> tuple[float, float]:
        v = self.draws[name].reshape(-1)
        q = (1 - prob) / 2
        return float(np.quantile(v, q)), float(np.quantile(v, 1 - q))


def fit_peak(temperature, chi, dchi, options: SamplerOptions | None = None) -> PeakResult:
    """Posterior of (T_c, gamma, delta, c, sigma) for one size; ``chi > 0`` required."""
    t, y, dy = (np.asarray(a, dtype=np.float64) for a in (temperature, chi, dchi))
    if np.any(y <= 0) or np.any(dy <= 0):
        raise BayesfitError("fit_peak: chi and dchi must be positive (the model is for "
                            f"log chi); got min chi {y.min():.3g}, min dchi {dy.min():.3g}.")
    logy, rel = np.log(y), dy / y
    span = t.max() - t.min()
    priors = {"tc": dist.Uniform(t.min(), t.max()), "gamma": dist.Uniform(0.0, 5.0),
              "log_delta": dist.Normal(np.log(span / 20), 1.5),
              "c": dist.Normal(logy.max(), 5.0), "sigma": dist.HalfNormal(0.1)}

    def loglik(th):
        sd = jnp.sqrt(rel**2 + th["sigma"] ** 2)
        return jnp.sum(dist.Normal(peak_mean(th, t), sd).log_prob(logy))

    draws, div = sample(priors, loglik, options or SamplerOptions())
    return PeakResult(draws, div)
