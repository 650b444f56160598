"""The shipped fits of notebook 08 (notebooks/08-critical-temperature_fits.py) against the
fits the tests make afresh."""

from pathlib import Path

import arviz
import numpy as np
from arviz_base import from_dict

from bayesfit.io import read_table

SHIPPED = Path(__file__).resolve().parents[2] / "notebooks" / "results" / "critical-temperature"


def assert_same_posterior(res, name):
    """The shipped draws ``SHIPPED/<name>_draws.csv`` are what this fit makes: every
    parameter's posterior mean agrees within 4 combined Monte Carlo standard errors
    (from both runs' effective sample sizes)."""
    shipped = read_table(SHIPPED / f"{name}_draws.csv").columns
    assert set(shipped) == set(res.draws), (sorted(shipped), sorted(res.draws))
    old = arviz.summary(from_dict({"posterior": {k: v[None, :] for k, v in shipped.items()}}))
    assert_same_means(res.summary(), old, name)


def assert_same_means(fresh, old, name):
    """Two posterior summaries (``Result.summary()`` / ``arviz.summary``) of the same fit:
    every parameter's mean agrees within 4 combined Monte Carlo standard errors."""
    for k in old.index:
        mcse = np.hypot(fresh.loc[k, "mcse_mean"], old.loc[k, "mcse_mean"])
        assert abs(fresh.loc[k, "mean"] - old.loc[k, "mean"]) < 4 * mcse, (name, k)


def shipped_check() -> dict:
    """The numbers of the Markov chain's shipped scaling check (``markov_check.csv``)."""
    return {k: float(v[0])
            for k, v in read_table(SHIPPED / "markov_check.csv").columns.items()}
