"""A fit whose stderr is not a terminal (here: pytest's capture) prints plain stage lines
for every method, and nothing with ``progress=False``."""

from __future__ import annotations

import re
import warnings

import pytest

import bayesfit as bf

RESULTS = r"results: log likelihood, predictive draws, predictions, diagnostics"
DONE = r": done in \d+ s"


@pytest.mark.parametrize(("method", "expected"), [
    (bf.MAP(restarts=4), [r"map: BFGS from 4 starts: started",
                          r"map: BFGS from 4 starts" + DONE,
                          r"map: Laplace covariance at the mode: started",
                          r"map: Laplace covariance at the mode" + DONE]),
    (bf.NUTS(restarts=2), [r"nuts: MAP start \(2 restarts\) and Laplace covariance: started",
                           r"nuts: MAP start \(2 restarts\) and Laplace covariance" + DONE,
                           r"nuts: 1 chain\(s\) x \(40 warm-up \+ 40 draws\) on 1 "
                           r"device\(s\): started",
                           r"nuts: 1 chain\(s\) x \(40 warm-up \+ 40 draws\) on 1 "
                           r"device\(s\)" + DONE]),
    (bf.Emcee(walkers=8), [r"emcee chain 1/1: 20/80 steps, \d+ s elapsed, ETA \d+ s",
                           r"emcee chain 1/1: 40/80 steps, \d+ s elapsed, ETA \d+ s",
                           r"emcee chain 1/1: 60/80 steps, \d+ s elapsed, ETA \d+ s",
                           r"emcee chain 1/1: done, 80 steps in \d+ s"]),
], ids=["map", "nuts", "emcee"])
def test_piped_fit_prints_its_stages(conjugate, capsys, method, expected):
    problem = conjugate.problem()
    with warnings.catch_warnings():  # 40 draws: NUTS and emcee fail the ESS check
        warnings.simplefilter("ignore", RuntimeWarning)
        bf.fit(problem, method, chains=1, draws=40, warmup=40, seed=0, predictive=False)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == len(expected) + 2, lines
    for pattern, line in zip(expected, lines, strict=False):
        assert re.fullmatch(pattern, line), (pattern, line)
    assert re.fullmatch(RESULTS + ": started", lines[-2]), lines
    assert re.fullmatch(RESULTS + DONE, lines[-1]), lines


def test_no_lines_when_progress_is_off(conjugate, capsys):
    bf.fit(conjugate.problem(), bf.MAP(restarts=2), draws=50, seed=0, progress=False,
           predictive=False)
    assert capsys.readouterr().err == ""


def test_piped_remc_fit_prints_its_map_search_first(conjugate, capsys):
    with warnings.catch_warnings():  # 40 draws: the ESS check fails
        warnings.simplefilter("ignore", RuntimeWarning)
        bf.fit(conjugate.problem(), bf.REMC(replicas=4, map_restarts=2), chains=1, draws=40,
               warmup=40, seed=0, predictive=False)
    lines = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"remc: MAP search \(2 restarts\): started", lines[0]), lines
    assert re.fullmatch(r"remc: MAP search \(2 restarts\)" + DONE, lines[1]), lines
    assert any(re.fullmatch(r"remc posterior: done, 80 steps in \d+ s", s) for s in lines), lines
    assert re.fullmatch(RESULTS + DONE, lines[-1]), lines
