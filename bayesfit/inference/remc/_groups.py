"""Result groups written by REMC: ``ladder`` and ``evidence`` (typed schemas of
:mod:`bayesfit.results._groups`)."""

from __future__ import annotations

import numpy as np

from ...results._groups import Evidence, Ladder
from ._driver import LadderRun
from ._evidence import Estimate, moments


def ladder_group(run: LadderRun, *, move: str, rhat_max: float,
                 reference: str = "prior") -> Ladder:
    """Ladder, swap/move acceptance, step sizes, round trips and the mean/variance of the
    integrand ``u`` (the TI curve) of every independent run (``chain``). Slots are laid out
    as in :class:`~._sampler.Layout`: ``leg`` 0 (power leg, ``beta = b``) up to the
    posterior, then ``leg`` 1 (reference leg, ``beta = t`` falling to 0 at ``q``)."""
    lay = run.layout
    leg = (np.arange(lay.size) > lay.target).astype(int)
    u = np.take_along_axis(run.u, leg[None, None, :, None], axis=3)[..., 0]
    m, v = moments(u)
    return Ladder(beta=np.asarray(run.betas), mean_log_likelihood=np.asarray(m),
                  var_log_likelihood=np.asarray(v), move_acceptance=np.asarray(run.move_acc),
                  step_size=np.asarray(run.step_size), swap_acceptance=np.asarray(run.swap),
                  round_trips=np.asarray(run.round_trips),
                  barrier=np.sum(1.0 - np.asarray(run.swap), axis=1), move=str(move),
                  rhat_max=float(rhat_max), leg=leg,
                  leg_barriers={name: np.asarray(run.barrier(name))
                                for name, _, _ in lay.legs()},
                  reference_mean=np.asarray(run.ref_mean),
                  reference_chol=np.asarray(run.ref_chol),
                  reference_weight=None if run.ref_log_w is None else np.exp(run.ref_log_w),
                  reference=str(reference),
                  target_slot=int(lay.target), power_leg_low=float(run.low))


def evidence_group(ti: Estimate, ss: Estimate, *, note: str = "",
                   prior_leg: Estimate | None = None, mirrors=None) -> Evidence:
    """``log_evidence`` (stepping stone) with errors, and the TI estimate beside it;
    ``prior_leg``: the stepping stone along the prior leg of a stabilized run (a check);
    ``mirrors``: the :class:`~._mirrors.Mirrors` count (already in ``ti`` and ``ss``)."""
    return Evidence(log_evidence=float(ss.value), log_evidence_err=float(ss.err),
                    log_evidence_ti=float(ti.value), log_evidence_ti_err=float(ti.err),
                    log_evidence_ti_mc_err=float(ti.mc_err),
                    log_evidence_ti_discretisation_err=float(ti.disc_err),
                    ss_runs=np.asarray(ss.per_run), ti_runs=np.asarray(ti.per_run), note=note,
                    log_evidence_prior_leg=None if prior_leg is None else float(prior_leg.value),
                    log_evidence_prior_leg_err=None if prior_leg is None
                    else float(prior_leg.err),
                    mirror_images=1 if mirrors is None else int(np.max(mirrors.images)),
                    mirror_correction=0.0 if mirrors is None else float(mirrors.correction))
