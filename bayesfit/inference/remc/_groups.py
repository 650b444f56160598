"""Result groups written by REMC: ``ladder``, ``evidence`` and ``noise`` (xarray)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from ._driver import LadderRun
from ._evidence import Estimate, moments


def ladder_group(run: LadderRun, *, move: str, rhat_max: float,
                 reference: str = "prior") -> xr.Dataset:
    """Ladder, swap/move acceptance, step sizes, round trips and the mean/variance of the
    integrand ``u`` (the TI curve) of every independent run (``chain``). Slots are laid out
    as in :class:`~._sampler.Layout`: ``leg`` 0 (power leg, ``beta = b``) up to the
    posterior, then ``leg`` 1 (reference leg, ``beta = t`` falling to 0 at ``q``)."""
    lay = run.layout
    leg = (np.arange(lay.size) > lay.target).astype(int)
    u = np.take_along_axis(run.u, leg[None, None, :, None], axis=3)[..., 0]
    m, v = moments(u)
    dims_t, dims_p = ["chain", "temperature"], ["chain", "pair"]
    barrier = np.sum(1.0 - run.swap, axis=1)
    legs = {f"barrier_{name}": xr.DataArray(run.barrier(name), dims=["chain"])
            for name, _, _ in lay.legs()}
    return xr.Dataset(
        {
            "beta": xr.DataArray(run.betas, dims=dims_t),
            "leg": xr.DataArray(leg, dims=["temperature"]),
            "mean_log_likelihood": xr.DataArray(m, dims=dims_t, attrs={"units": "nats"}),
            "var_log_likelihood": xr.DataArray(v, dims=dims_t, attrs={"units": "nats^2"}),
            "swap_acceptance": xr.DataArray(run.swap, dims=dims_p),
            "move_acceptance": xr.DataArray(run.move_acc, dims=dims_t),
            "step_size": xr.DataArray(run.step_size, dims=dims_t),
            "round_trips": xr.DataArray(run.round_trips, dims=["chain"]),
            "barrier": xr.DataArray(barrier, dims=["chain"]),
            **legs,
            "reference_mean": xr.DataArray(run.ref_mean, dims=["chain", "coordinate"]),
            "reference_chol": xr.DataArray(run.ref_chol,
                                           dims=["chain", "coordinate", "coordinate_"]),
        },
        coords={"chain": np.arange(run.betas.shape[0])},
        attrs={
            "scheme": "DEO (Syed et al. 2021)", "move": move, "replicas": run.betas.shape[1],
            "rhat_max": float(rhat_max), "reference": reference, "target_slot": lay.target,
            "power_leg_low": float(run.low),
            "note": "chain = independent run; pair k = replicas (k, k+1); "
                    "mean/var_log_likelihood are of the TI integrand u; reference_mean and "
                    "reference_chol: the Gaussian reference q (unconstrained coordinates)",
        },
    )


def evidence_group(ti: Estimate, ss: Estimate, *, note: str = "",
                   prior_leg: Estimate | None = None) -> xr.Dataset:
    """``log_evidence`` (stepping stone) with errors, and the TI estimate beside it;
    ``prior_leg``: the stepping stone along the prior leg of a stabilized run (a check)."""
    s = lambda x: xr.DataArray(float(x), attrs={"units": "nats"})  # noqa: E731
    extra = {} if prior_leg is None else {
        "log_evidence_prior_leg": s(prior_leg.value),
        "log_evidence_prior_leg_err": s(prior_leg.err)}
    return xr.Dataset(
        {
            "log_evidence": s(ss.value), "log_evidence_err": s(ss.err),
            "log_evidence_ss": s(ss.value), "log_evidence_ss_err": s(ss.err),
            "log_evidence_ti": s(ti.value), "log_evidence_ti_err": s(ti.err),
            "log_evidence_ti_mc_err": s(ti.mc_err),
            "log_evidence_ti_discretisation_err": s(ti.disc_err),
            "log_evidence_ss_runs": xr.DataArray(ss.per_run, dims=["chain"]),
            "log_evidence_ti_runs": xr.DataArray(ti.per_run, dims=["chain"]),
            **extra,
        },
        attrs={
            "estimator": "stepping stone (Xie et al. 2011); TI (Friel & Pettitt 2008) beside",
            "free_energy": "F = -log_evidence",
            "note": note,
        },
    )
