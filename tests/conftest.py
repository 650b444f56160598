"""Shared fixtures: small problems with known answers."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import numpyro.distributions as dist  # noqa: E402
import pytest  # noqa: E402

import bayesfit as bf  # noqa: E402


def line(p, x):
    return p["a"] * x + p["b"]


class Conjugate:
    """y = a x + b + N(0, s^2), s known, Normal priors: the posterior is Gaussian.

    Exact mean and covariance by the textbook formula (Bishop, PRML eq. 3.53-3.54),
    computed here independently of bayesfit.
    """

    def __init__(self, n=25, s=0.3, seed=3):
        rng = np.random.default_rng(seed)
        self.x = np.linspace(-1, 2, n)
        self.y = 0.7 * self.x - 0.4 + s * rng.standard_normal(n)
        self.s = s
        self.m0 = np.array([0.5, 0.0])
        self.s0 = np.array([2.0, 1.5])
        X = np.stack([self.x, np.ones(n)], axis=1)
        prec = X.T @ X / s**2 + np.diag(1 / self.s0**2)
        self.cov = np.linalg.inv(prec)
        self.mean = self.cov @ (X.T @ self.y / s**2 + self.m0 / self.s0**2)
        # log evidence: y ~ N(X m0, s^2 I + X S0 X^T)
        C = s**2 * np.eye(n) + X @ np.diag(self.s0**2) @ X.T
        r = self.y - X @ self.m0
        _, logdet = np.linalg.slogdet(C)
        self.log_evidence = -0.5 * (r @ np.linalg.solve(C, r) + logdet + n * np.log(2 * np.pi))

    def problem(self):
        ds = bf.Dataset(self.x, self.y, sigma=self.s, model=line, name="line",
                        units={"x": "s", "y": "m"})
        return bf.Problem({"a": dist.Normal(self.m0[0], self.s0[0]),
                           "b": dist.Normal(self.m0[1], self.s0[1])}, [ds],
                          units={"a": "m/s", "b": "m"})


@pytest.fixture(scope="session")
def conjugate():
    return Conjugate()


#: Test files by decreasing run time (scripts/test.sh, 2 workers, measured at stop 20). Each
#: file runs on one worker (``--dist loadfile``) and the files are handed out in collection
#: order (``--no-loadscope-reorder``; xdist's own order, by number of tests, put the long
#: single-test files last, where one worker ran them while the other stood idle). Files not
#: listed follow in their usual order.
LONGEST_FIRST = (  # seconds in the fresh-clone run at 6901ef5
    "tests/notebooks/test_notebooks.py",  # 120
    "tests/inference/remc/test_noise.py",  # 101
    "tests/studies/test_theory.py",  # 97
    "tests/sweeps/test_sweep.py",  # 54
    "tests/sequences/test_generators.py",  # 49
    "tests/inference/remc/test_reference.py",  # 49
    "tests/studies/test_ring_modes.py",  # 42
    "tests/inference/test_devices.py",  # 40
    "tests/inference/remc/test_bimodal.py",  # 40
    "tests/criticality/test_fss.py",  # 36
    "tests/theory/vae/test_ode.py",  # 33
    "tests/inference/remc/test_evidence.py",  # 31
    "tests/sequences/test_compare.py",  # 30
    "tests/spin/test_fieldmap.py",  # 27
    "tests/inference/remc/test_checkpoint.py",  # 26
    "tests/spin/test_gradients.py",  # 26
    "tests/spin/test_ftlm.py",  # 25
    "tests/criticality/test_ising_fss.py",  # 24
    "tests/inference/test_calibration.py",  # 21
    "tests/studies/test_gallery.py",  # 20
    "tests/ebm/test_orderings.py",  # 20
    "tests/core/test_correlated_noise.py",  # 19
)


def pytest_collection_modifyitems(config, items):
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
