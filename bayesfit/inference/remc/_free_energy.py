"""The free-energy route for unknown noise levels (Tamura et al. 2020, PRB 101, 224435).

All stages sample one problem, the noise levels fixed at references ``sigma_ref``; any
other noise level is a weight on its log likelihood (the Gaussian identity in
``_noise.py``). Stages: the MAP noise levels (references = ``noise_ref`` times them), a
ladder along the ray ``sigma_d = sigma0_d / sqrt(b)`` of all unknown levels, then, with
several datasets, coordinate-wise ladders (one dataset tempered, the others at their
current estimates). Choice and reasons: ``README.md``.
"""

from __future__ import annotations

import math
import warnings

import jax.numpy as jnp
import numpy as np

from ...core import Problem
from ...errors import BayesfitError
from ._noise import noise_curve
from ._sampler import Path

_LOG_2PI = math.log(2.0 * math.pi)
RETRIES = 3  # the reference is divided by 4 each time the minimum lies at sigma_0


class NoiseState:
    """Bookkeeping of the free-energy noise estimation (references, estimates, curves)."""

    def __init__(self, datasets, names, sigma_ref, low: float = 0.0):
        self.datasets = datasets
        self.low = float(low)  # where the noise ladders start (0: at the prior)
        self.names = names
        self.sigma_ref = dict(sigma_ref)
        self.sigma_hat = dict(sigma_ref)
        by_name = {d.noise_name: d for d in datasets}
        self.n = {k: by_name[k].n for k in names}
        self.index = {d.noise_name: i for i, d in enumerate(datasets)}
        self.has_known = any(d.noise_name not in names for d in datasets)
        self.curves: dict[str, tuple] = {}

    def C(self, k, s0) -> float:
        return self.n[k] * math.log(s0) + 0.5 * self.n[k] * _LOG_2PI

    def shift(self, k, a) -> float:
        """``log L(sigma_ref / sqrt(a)) - a log L(sigma_ref)`` (a constant in theta)."""
        return -(1.0 - a) * self.C(k, self.sigma_ref[k]) + 0.5 * self.n[k] * math.log(a)

    def path(self, *, offset: dict, direction: dict, temper_known: bool) -> Path:
        """Weights on the log likelihoods at ``sigma_ref``: ``offset`` (fixed) and
        ``direction`` (tempered) for the estimated noise levels; datasets with known noise
        are tempered too (``temper_known``, a plain power posterior) or kept at weight 1.
        ``b = 0`` is exactly the prior when nothing keeps a fixed positive weight."""
        D = len(self.datasets)
        off, dr = np.zeros(D), np.zeros(D)
        for i, d in enumerate(self.datasets):
            if d.noise_name not in self.names:
                (dr if temper_known else off)[i] = 1.0
        for k, a in offset.items():
            off[self.index[k]] = a
        for k, a in direction.items():
            dr[self.index[k]] = a
        shift = sum(self.shift(k, a) for k, a in direction.items())
        exact = not np.any(off > 0)
        return Path(jnp.asarray(off), jnp.asarray(dr), jnp.asarray(shift), jnp.asarray(exact),
                    jnp.asarray(self.low))

    def record(self, k, curve, s0, *, exact: bool) -> None:
        self.curves[k] = (curve, s0[k], exact)


def with_noise_fixed(problem, sigma: dict[str, float]) -> Problem:
    """``problem`` with the noise levels ``sigma`` (``{"sigma_<dataset>": value}``) fixed,
    built with the public :class:`Problem` API (same free-parameter order otherwise)."""
    params = {k: v for k, v in problem.free.items() if k not in sigma}
    params.update(problem.fixed)
    params.update({k: float(v) for k, v in sigma.items()})
    init = {k: v for k, v in problem.init.items() if k not in sigma}
    return Problem(params, problem.datasets, units=problem.units, init=init or None,
                   name=problem.name, order=problem.order, symmetries=problem.symmetries)


def map_noise_levels(values: dict[str, float], names) -> dict[str, float]:
    """Noise levels ``names`` at the MAP point ``values`` (see :func:`._start.map_optimum`)."""
    vals = np.array([values[k] for k in names])
    if not (np.all(np.isfinite(vals)) and np.all(vals > 0)):
        raise BayesfitError(
            "REMC(noise='free_energy'): the MAP search found no finite noise level; "
            "check the priors and the model, or use noise='free'.")
    return dict(zip(names, map(float, vals), strict=True))


def noise_stage(runner, est: NoiseState, tempered, stage, start, key, ckpt, progress,
                init=None):
    """One noise ladder over the datasets ``tempered`` from ``sigma_0 = start``, retried
    with ``sigma_0 / 4`` while the minimum lies at ``sigma_0``. Returns ``(curve, s0)``."""
    for attempt in range(RETRIES + 1):
        s0 = {k: start[k] / 4.0**attempt for k in tempered}
        a0 = {k: (est.sigma_ref[k] / s0[k]) ** 2 for k in tempered}
        others = {k: (est.sigma_ref[k] / est.sigma_hat[k]) ** 2
                  for k in est.names if k not in tempered}
        path = est.path(offset=others, direction=a0, temper_known=False)
        run = runner.run(f"{stage}-{attempt}", key, path, ckpt, progress, init)
        n = sum(est.n[k] for k in tempered)
        C = sum(est.C(k, s0[k]) for k in tempered)
        curve = noise_curve(*run.leg("power"), n, C, reference=run.leg("reference"))
        if not (curve.at_edge and curve.b_hat >= 1.0):
            break
    else:
        raise BayesfitError(
            f"REMC(noise='free_energy'): the free energy of {tempered} still decreases "
            f"towards small noise levels after {RETRIES} smaller references; the model "
            "may interpolate the data. Use noise='free' or give the noise level.")
    if curve.at_edge:
        warnings.warn(f"REMC: the free-energy minimum of {tempered} lies at the edge of "
                      "the ladder; use more replicas.", RuntimeWarning, stacklevel=4)
    return curve, s0


def estimate_noise(runner, est: NoiseState, key, ckpt, progress, *, noise_ref: float,
                   sweeps: int, init=None):
    """Fill ``est.sigma_hat`` and ``est.curves``; returns the ray ``(curve, s0)``.
    ``init``: where the replicas start (:class:`~._driver.Start`), None for the prior."""
    names = est.names
    curve, s0 = noise_stage(runner, est, names, "noise-ray", est.sigma_ref, key, ckpt,
                            progress, init)
    for k in names:
        est.sigma_hat[k] = s0[k] / math.sqrt(curve.b_hat)
        est.record(k, curve, s0, exact=not est.has_known)
    ray = (curve, s0)
    if len(names) > 1:
        for sweep in range(sweeps):
            for k in names:
                start = {k: noise_ref * est.sigma_hat[k]}
                curve, s0 = noise_stage(runner, est, [k], f"noise-{k}-{sweep}", start, key,
                                        ckpt, progress, init)
                est.sigma_hat[k] = s0[k] / math.sqrt(curve.b_hat)
                est.record(k, curve, s0, exact=False)
    return ray
