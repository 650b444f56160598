"""``compare_decay``: evidence, PSIS-LOO and the forward check ranked on a chain with a
known answer, and the forward score against the joint/marginal densities from scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.special import logsumexp

import bayesfit
from bayesfit import sequences as sq
from bayesfit.sequences._compare import forward_lpd


class _Draws:
    """The only part of a Result that ``forward_lpd`` reads: ``draws(name)``."""

    def __init__(self, values: dict[str, np.ndarray]):
        self.values = values

    def draws(self, name):
        return self.values[name]


def test_forward_lpd_is_the_conditional_density_of_the_unseen_lags():
    rng = np.random.default_rng(0)
    r = np.arange(1.0, 9.0)
    A = rng.normal(size=(8, 8))
    cov = 0.01 * (A @ A.T / 8 + np.eye(8))
    y = np.log(0.5 * np.exp(-r / 2.0) + 1e-3) + rng.multivariate_normal(np.zeros(8), cov)
    k = 5
    past = sq.decay_problem((r[:k], y[:k], cov[:k, :k]), "exponential")
    draws = {"A": np.array([0.4, 0.5, 0.6]), "xi": np.array([1.8, 2.0, 2.3]),
             "c": np.array([1e-3, 2e-3, 5e-4]), "jitter_curve": np.array([0.01, 0.05, 0.1])}
    got = forward_lpd(past, _Draws(draws), r, y, cov, k)
    # ln p(y_f | y_p) = ln p(y) - ln p(y_p) for every draw, then the log of the mean
    lp = []
    for i in range(3):
        mu = np.log(draws["A"][i] * np.exp(-r / draws["xi"][i]) + draws["c"][i])
        S = cov + draws["jitter_curve"][i] ** 2 * np.eye(8)
        lp.append(stats.multivariate_normal(mu, S).logpdf(y)
                  - stats.multivariate_normal(mu[:k], S[:k, :k]).logpdf(y[:k]))
    assert got == pytest.approx(logsumexp(lp) - np.log(3), rel=1e-9)


def test_compare_decay_ranks_the_generating_model_first_on_every_verdict():
    x = sq.binary_markov(0.1, 50, 1000, seed=1)  # I(r) ~ 0.8**(2 r) / 2
    r, y, cov = sq.bootstrap_curve(x, 30, replicates=200).log_data()
    k = r >= 4
    # replicas from prior draws (no multi-start MAP search: 33-35 -> 28-30 s on the 2-core
    # machine), 8 of them as in test_decay.py's fits of these same data, so that the two
    # full fits can reuse its compiled programs when its fits use the same settings. Over
    # 7 data/sampler seeds: ln BF(power) -11.8 to -15.2, elpd_diff -7.7 to -17.6,
    # forward_diff -2.4 to -9.4
    out = sq.compare_decay((r[k], y[k], cov[np.ix_(k, k)]), ("power", "exponential"),
                           method=bayesfit.REMC(replicas=8, move="rwm", start="prior"),
                           chains=2, draws=300, warmup=300, seed=0)
    t = out.table
    assert list(t.index) == ["exponential", "power"]  # best evidence first
    assert t.loc["power", "log_bf"] < -5
    assert t.loc["power", "elpd_diff"] < 0 and t.loc["power", "forward_diff"] < 0
    assert t.loc["exponential", "forward_diff"] == 0.0
    assert np.isfinite(t["elpd_loo"]).all() and (t["elpd_loo_se"] > 0).all()
    assert out.split == np.median(r[k])
