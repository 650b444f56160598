"""Result groups written by REMC: ``ladder`` and ``evidence`` (typed schemas of
:mod:`bayesfit.results._groups`)."""

from __future__ import annotations

import numpy as np

from ...results._groups import Evidence, Ladder
from ._driver import LadderRun
from ._evidence import Estimate, moments


def ladder_group(run: LadderRun, *, move: str, rhat_max: float) -> Ladder:
    """Ladder, swap/move acceptance, step sizes, round trips and the mean/variance of the
    integrand ``u`` (the TI curve) of every independent run (``chain``)."""
    m, v = moments(run.u)
    return Ladder(beta=np.asarray(run.betas), mean_log_likelihood=np.asarray(m),
                  var_log_likelihood=np.asarray(v), move_acceptance=np.asarray(run.move_acc),
                  step_size=np.asarray(run.step_size), swap_acceptance=np.asarray(run.swap),
                  round_trips=np.asarray(run.round_trips),
                  barrier=np.sum(1.0 - np.asarray(run.swap), axis=1), move=str(move),
                  rhat_max=float(rhat_max))


def evidence_group(ti: Estimate, ss: Estimate, *, note: str = "") -> Evidence:
    """``log_evidence`` (stepping stone) with errors, and the TI estimate beside it."""
    return Evidence(log_evidence=float(ss.value), log_evidence_err=float(ss.err),
                    log_evidence_ti=float(ti.value), log_evidence_ti_err=float(ti.err),
                    log_evidence_ti_mc_err=float(ti.mc_err),
                    log_evidence_ti_discretisation_err=float(ti.disc_err),
                    ss_runs=np.asarray(ss.per_run), ti_runs=np.asarray(ti.per_run), note=note)
