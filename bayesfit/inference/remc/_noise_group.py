"""The result group ``noise`` (:class:`bayesfit.results._groups.NoiseLevels`): ``F(sigma)``
per dataset, ``sigma_hat`` and its error."""

from __future__ import annotations

import numpy as np

from ...results._groups import NoiseLevels, NoiseRay
from ._stationary import level_errors


def _at(curve, b):
    """``F`` of ``curve`` at ``b`` (interpolated in ``log b``)."""
    x = np.log(curve.b[::-1])
    return float(np.interp(np.log(b), x, curve.F[::-1]))


def noise_group(est, sigma_map: dict, log_z: float, ray=None, stationarity=None,
                stationary: bool = False) -> NoiseLevels:
    """One free-energy curve per estimated noise level (``est.curves``, keyed by the noise
    parameter ``sigma_<dataset>``), on the grid ``sigma = sigma_0 / sqrt(b)`` (units of the
    data), with ``sigma_hat``, its error, ``sigma_ref`` (``sigma_0``, the ``b = 1`` end of
    the ladder) and ``sigma_map`` of each dataset.

    A curve whose ladder did not start at the prior (other datasets held at fixed noise)
    is known up to a constant; it is shifted so that ``F(sigma_hat) = -log_evidence`` at
    ``sigma_hat`` (``calibrated``). Curves from a ladder that starts at the prior are
    absolute and left as computed.

    ``stationarity`` (:class:`~._stationary.Stationarity` of the final posterior) gives
    ``dF / d log sigma`` at ``sigma_hat``; with ``stationary`` the levels came from its
    fixed point (the curves are then those of the ray), and the error of each is that of
    the level the final posterior was sampled at (the ray's, or the previous update's).
    """
    by_noise = {d.noise_name: d for d in est.datasets}
    keys = list(est.curves)
    rungs = max(len(curve.b) for curve, _, _ in est.curves.values())
    grid = np.full((len(keys), 3, rungs), np.nan)
    calibrated = []
    for i, k in enumerate(keys):
        curve, s0, absolute = est.curves[k]
        F = curve.F.copy()
        if not absolute:
            F += -log_z - _at(curve, curve.b_hat)
        n = len(curve.b)
        grid[i, :, :n] = s0 / np.sqrt(curve.b), F, curve.F_err
        calibrated.append(not absolute)
    errors = level_errors(est)
    hat_err = [errors[k] for k in keys]
    grad = grad_err = None
    if stationarity is not None:
        pos = [stationarity.names.index(k) for k in keys]
        grad, grad_err = stationarity.grad[pos], stationarity.grad_err[pos]
        if stationary:
            hat_err = list(stationarity.sigma_err[pos])  # of the levels sampled at
    # None: NoiseLevels names the ladder scheme itself
    scheme = "ray, then the stationarity of F (Fisher's identity)" if stationary else None
    ray_group = None
    if ray is not None:
        curve, s0 = ray
        ray_group = NoiseRay(scale=1.0 / np.sqrt(curve.b), free_energy=np.asarray(curve.F),
                             sigma_ref=np.asarray([float(s0[k]) for k in keys]))
    return NoiseLevels(
        datasets=tuple(by_noise[k].name for k in keys),
        units=tuple(by_noise[k].units.get("y", "") for k in keys),
        sigma_hat=np.asarray([float(est.sigma_hat[k]) for k in keys]),
        sigma_hat_err=np.asarray(hat_err, float),
        sigma_ref=np.asarray([float(est.curves[k][1]) for k in keys]),
        sigma_map=np.asarray([float(sigma_map[k]) for k in keys]),
        calibrated=np.asarray(calibrated, bool),
        sigma=grid[:, 0], free_energy=grid[:, 1], free_energy_err=grid[:, 2], ray=ray_group,
        grad_log_sigma=grad, grad_log_sigma_err=grad_err, scheme=scheme)
