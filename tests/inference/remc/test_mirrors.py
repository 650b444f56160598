"""An exactly symmetric model: the evidence counts the mirror mode REMC does not sample.

y = exp(-a x) + exp(-b x) + noise, a and b under the same prior: (a, b) and (b, a) give the
same likelihood, two well-separated modes of equal mass. The exact log evidence comes from
brute-force quadrature on a grid written here (NumPy, no bayesfit code).
"""

from __future__ import annotations

import warnings

import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist
from scipy.special import logsumexp

import bayesfit
from bayesfit.inference.remc import REMC

X = np.linspace(0.0, 3.0, 40)
S = 0.02
LO, HI = 0.05, 4.0


def _data():
    rng = np.random.default_rng(4)
    return np.exp(-0.6 * X) + np.exp(-2.2 * X) + S * rng.standard_normal(X.size)


def _exact_log_evidence(y):
    """Quadrature of prior x likelihood over a fine grid covering both modes."""
    log_z = []
    for a_lo, a_hi, b_lo, b_hi in ((0.4, 0.8, 1.8, 2.7), (1.8, 2.7, 0.4, 0.8)):
        a = np.linspace(a_lo, a_hi, 700)
        b = np.linspace(b_lo, b_hi, 700)
        A, B = np.meshgrid(a, b, indexing="ij")
        pred = np.exp(-A[..., None] * X) + np.exp(-B[..., None] * X)
        ll = (-0.5 * np.sum((y - pred) ** 2, axis=-1) / S**2
              - X.size * np.log(S * np.sqrt(2 * np.pi)))
        cell = (a[1] - a[0]) * (b[1] - b[0])
        log_z.append(logsumexp(ll) + np.log(cell) - 2 * np.log(HI - LO))
    return float(logsumexp(log_z)), log_z


def _problem(y):
    ds = bayesfit.Dataset(X, y, sigma=S, model=lambda p, x: jnp.exp(-p["a"] * x)
                          + jnp.exp(-p["b"] * x), name="decay", units={"x": "s", "y": "1"})
    return bayesfit.Problem({"a": dist.Uniform(LO, HI), "b": dist.Uniform(LO, HI)}, [ds],
                            symmetries=[{"a": "b", "b": "a"}])


def test_gaussian_reference_counts_the_unsampled_mirror_mode():
    y = _data()
    exact, halves = _exact_log_evidence(y)
    assert abs(halves[0] - halves[1]) < 1e-6  # the two modes carry equal mass
    problem = _problem(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # one Gaussian (reference_modes=1): the mixture over both optima would visit both
        res = bayesfit.fit(problem, REMC(reference="gaussian", replicas=4, leapfrog_steps=4,
                                         reference_modes=1),
                           chains=2, draws=800, warmup=400, seed=2, progress=False,
                           predictive=False)
    ev = res.tree["evidence"]
    a = res.posterior["a"].values
    # each run sits in one mirror mode (a < b or a > b throughout)
    assert all(np.all(a[r] < 1.2) or np.all(a[r] > 1.2) for r in range(a.shape[0]))
    assert int(ev["mirror_images"]) == 2
    assert abs(float(ev["mirror_correction"]) - np.log(2)) < 1e-12
    err = float(ev["log_evidence_err"])
    assert err < 0.1, err
    assert abs(res.log_evidence - exact) < 3 * err + 0.05, (res.log_evidence, exact, err)
    # the one-mode estimate alone would miss the exact value by log 2
    assert abs(res.log_evidence - np.log(2) - exact) > 0.5


def test_mixture_reference_samples_both_mirror_modes():
    """The same model with the default mixture reference over the search's optima: every
    run visits both mirror modes in their exact proportion 1 : 1, nothing needs counting
    (one image), and the evidence is the exact one directly."""
    y = _data()
    exact, _ = _exact_log_evidence(y)
    problem = _problem(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = bayesfit.fit(problem, REMC(reference="gaussian", replicas=4, leapfrog_steps=4),
                           chains=2, draws=800, warmup=400, seed=2, progress=False,
                           predictive=False)
    assert res.tree["ladder"].sizes["component"] == 2
    share = (res.posterior["a"].values < 1.2).mean(axis=1)
    assert np.all(np.abs(share - 0.5) < 0.1), share
    ev = res.tree["evidence"]
    assert int(ev["mirror_images"]) == 1
    err = float(ev["log_evidence_err"])
    assert abs(res.log_evidence - exact) < 3 * err + 0.02, (res.log_evidence, exact, err)
