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
