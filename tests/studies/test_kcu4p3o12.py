"""The KCu4P3O12 study (Tamura et al., PRB 101, 224435) on the shipped synthetic data.

What the study must show, with the main job's method (replica exchange, noise levels at
the minimum of the Bayesian free energy, MAP-started, dense mass matrices) at shorter
settings than ``models/kcu4p3o12.toml`` (12 replicas, 2 runs, 250 + 150 steps, no
coordinate sweep): the generating values are recovered, the susceptibility alone leaves the couplings
poorly determined, and the evidence prefers the generating four-coupling model over
J2 = 0. The generating values are read from the data files' headers (written by
``bayesfit simulate``), not repeated here. Notebook 02 reads the same three fits from
``notebooks/results/kcu4p3o12/`` (made by ``notebooks/02-kcu4p3o12_make.py --all``); each
test also checks that the shipped file is the fit this code makes, so the notebook cannot
show stale results.
"""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

import bayesfit
from bayesfit.inference.remc import REMC
from bayesfit.io import load_model

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "kcu4p3o12.toml"
SHIPPED = ROOT / "notebooks" / "results" / "kcu4p3o12"
COUPLINGS = ["J1", "J2", "J3", "J4"]


def _header(path: Path) -> tuple[dict[str, float], float]:
    """Generating parameters and noise sd from a ``bayesfit simulate`` header."""
    text = path.read_text()
    params = {k: float(v) for k, v in re.findall(r"(\w+) = ([-+0-9.eE]+)",
                                                   re.search(r"# parameters: (.*)", text)[1])}
    return params, float(re.search(r"# noise: Gaussian, sd = ([-+0-9.eE]+)", text)[1])


SPEC = load_model(MODEL)
TRUTH, _ = _header(SPEC.dataset("chi").file)
NOISE = {d.name: _header(d.file)[1] for d in SPEC.datasets}


def _fit(parameters, datasets):
    problem = bayesfit.Problem(parameters, datasets, units=SPEC.units)
    method = REMC(replicas=12, reference="prior", leapfrog_steps=4, mass="dense",
                  noise="free_energy",
                  noise_sweeps=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # round trips: see the README
        return bayesfit.fit(problem, method=method, chains=2, draws=150, warmup=250, seed=1,
                            progress=False)


@functools.cache
def _joint():
    return _fit(SPEC.parameters, SPEC.read_datasets())


@pytest.fixture
def joint():
    """The joint fit, once per process (xdist may interleave other modules between this
    module's tests, which would rebuild a module-scoped fixture; a second worker that
    gets one of these tests fits it again)."""
    return _joint()


def _same_fit(shipped_name: str, fresh) -> None:
    """The notebook's shipped fit agrees with the fresh one: posterior means within 0.5 sd
    (the two runs differ only in floating-point rounding across machines; both posteriors are
    unimodal) and the same log
    evidence within 3 standard errors."""
    shipped = bayesfit.load(SHIPPED / f"{shipped_name}.nc")
    for name in fresh.tree["posterior"].to_dataset().data_vars:
        a, b = shipped.draws(name), fresh.draws(name)
        assert abs(a.mean() - b.mean()) < 0.5 * b.std(), (shipped_name, name, a.mean(), b.mean())
    err = np.hypot(shipped.log_evidence_err or 0.0, fresh.log_evidence_err or 0.0)
    assert abs(shipped.log_evidence - fresh.log_evidence) < 3 * err + 1e-6, shipped_name


def test_joint_fit_recovers_the_generating_values(joint):
    table = joint.summary()
    for name in [*COUPLINGS, "g"]:
        lo, hi = table.loc[name, "eti95_lb"], table.loc[name, "eti95_ub"]
        assert lo < TRUTH[name] < hi, (name, lo, hi, TRUTH[name])
    assert float(table["r_hat"].max()) < 1.05
    noise = joint.noise_table()
    for name, sd in NOISE.items():
        est = float(noise.loc[name, "sigma_hat"])
        assert abs(est / sd - 1) < 0.2, (name, est, sd)
    _same_fit("joint", joint)


def test_susceptibility_alone_leaves_the_couplings_poorly_determined(joint):
    chi_only = _fit(SPEC.parameters, [d for d in SPEC.read_datasets() if d.name == "chi"])
    ratio = {j: float(chi_only.draws(j).std() / joint.draws(j).std()) for j in COUPLINGS}
    assert sum(r >= 3.0 for r in ratio.values()) >= 2, ratio
    # chi alone has a second optimum, so two runs may weigh it differently: the shipped fit
    # is checked for the same conclusion, not the same means
    shipped = bayesfit.load(SHIPPED / "chi_only.nc")
    ratio = {j: float(shipped.draws(j).std() / joint.draws(j).std()) for j in COUPLINGS}
    assert sum(r >= 3.0 for r in ratio.values()) >= 2, ratio


def test_evidence_prefers_the_four_coupling_model(joint):
    three = _fit({**SPEC.parameters, "J2": 0.0}, SPEC.read_datasets())
    diff = joint.log_evidence - three.log_evidence
    err = np.hypot(joint.log_evidence_err, three.log_evidence_err)
    assert diff > 5.0 + 3.0 * err, (diff, err)
    _same_fit("j2_zero", three)
