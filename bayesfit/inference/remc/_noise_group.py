"""The result group ``noise``: ``F(sigma)`` per dataset, ``sigma_hat`` and its error."""

from __future__ import annotations

import numpy as np
import xarray as xr

from ._evidence import block_error


def _at(curve, b):
    """``F`` of ``curve`` at ``b`` (interpolated in ``log b``)."""
    x = np.log(curve.b[::-1])
    return float(np.interp(np.log(b), x, curve.F[::-1]))


def noise_group(est, sigma_map: dict, log_z: float, ray=None) -> xr.Dataset:
    """One curve per estimated noise level; variables named after the dataset ``<d>``:
    ``free_energy_<d>`` and ``free_energy_err_<d>`` on the coordinate ``sigma_<d>``
    (units of the data), and scalars ``sigma_hat_<d>``, ``sigma_hat_err_<d>``,
    ``sigma_ref_<d>`` (``sigma_0``, the ``b = 1`` end of the ladder), ``sigma_map_<d>``.

    A curve whose ladder did not start at the prior (other datasets held at fixed noise)
    is known up to a constant; it is shifted so that ``F(sigma_hat) = -log_evidence`` at
    ``sigma_hat`` (attribute ``calibrated``). Curves from a ladder that starts at the prior
    are absolute and left as computed.
    """
    data, calibrated = {}, []
    for k, (curve, s0, absolute) in est.curves.items():
        d = k[len("sigma_"):]
        sig = s0 / np.sqrt(curve.b)
        F = curve.F.copy()
        if not absolute:
            F += -log_z - _at(curve, curve.b_hat)
            calibrated.append(d)
        coord = f"sigma_{d}"
        data[f"free_energy_{d}"] = xr.DataArray(F, dims=[coord], coords={coord: sig},
                                                attrs={"units": "nats"})
        data[f"free_energy_err_{d}"] = xr.DataArray(curve.F_err, dims=[coord],
                                                    coords={coord: sig})
        blocks = s0 / np.sqrt(curve.b_hat_blocks)
        err = block_error(blocks) if len(blocks) > 1 else 0.0
        data[f"sigma_hat_{d}"] = xr.DataArray(float(est.sigma_hat[k]))
        data[f"sigma_hat_err_{d}"] = xr.DataArray(err)
        data[f"sigma_ref_{d}"] = xr.DataArray(float(s0))
        data[f"sigma_map_{d}"] = xr.DataArray(float(sigma_map[k]))
    if ray is not None:
        curve, s0 = ray
        data["free_energy_ray"] = xr.DataArray(
            curve.F, dims=["ray_scale"], coords={"ray_scale": 1.0 / np.sqrt(curve.b)},
            attrs={"note": "F along sigma_d = sigma_ref_ray_d * ray_scale, all d at once"})
        for k, v in s0.items():
            data[f"sigma_ref_ray_{k[len('sigma_'):]}"] = xr.DataArray(float(v))
    names = [k[len("sigma_"):] for k in est.curves]
    return xr.Dataset(data, attrs={
        "datasets": ",".join(names),
        "calibrated": ",".join(calibrated),
        "scheme": "single ladder" if len(names) == 1 else "coordinate-wise",
        "method": "Bayesian free energy minimisation (Tamura et al. 2020)",
        "note": "F(sigma) = -log p(data | sigma); the noise prior is not part of F",
    })
