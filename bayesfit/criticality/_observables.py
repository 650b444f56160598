"""Ising observables from Monte Carlo time series, with jackknife errors over blocks.

Given per-sweep energy ``e`` and magnetisation ``m`` per site (as returned by
:func:`bayesfit.criticality.simulate_ising`), every estimate is a function of the means
of ``e, |m|, m^2, m^4``; its standard error comes from a delete-one-block jackknife over
``n_blocks`` contiguous blocks of every replica (blocks longer than the autocorrelation
time make the error honest; Swendsen-Wang keeps that time short near T_c).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._ising import IsingSeries


class IsingObservables(NamedTuple):
    """Estimates and standard errors, one value per temperature.

    ``energy`` (per site, units of J), ``abs_m`` = <|m|>, ``m2`` = <m^2>, ``m4`` = <m^4>,
    ``susceptibility`` = N (<m^2> - <|m|>^2) / T (per site, units of 1/J),
    ``binder`` = 1 - <m^4> / (3 <m^2>^2) (dimensionless). ``d*`` are standard errors.
    """

    size: int
    temperatures: np.ndarray
    energy: np.ndarray
    abs_m: np.ndarray
    m2: np.ndarray
    m4: np.ndarray
    susceptibility: np.ndarray
    binder: np.ndarray
    denergy: np.ndarray
    dabs_m: np.ndarray
    dm2: np.ndarray
    dm4: np.ndarray
    dsusceptibility: np.ndarray
    dbinder: np.ndarray


def _derived(means, size, temps):
    e, am, m2, m4 = means
    n = size * size
    chi = n * (m2 - am**2) / temps
    binder = 1.0 - m4 / (3.0 * m2**2)
    return e, am, m2, m4, chi, binder


def ising_observables(series: IsingSeries, n_blocks: int = 20) -> IsingObservables:
    """Moments, susceptibility and Binder cumulant with jackknife errors."""
    e, m = series.energy, series.magnetisation
    n_t, n_rep, n_sw = e.shape
    if n_sw < n_blocks:
        raise ValueError(f"n_sweeps={n_sw} is smaller than n_blocks={n_blocks}")
    usable = (n_sw // n_blocks) * n_blocks
    am = np.abs(m)
    raw = np.stack([e, am, m**2, m**4])[..., :usable]  # (4, T, R, S)
    blocks = raw.reshape(4, n_t, n_rep * n_blocks, usable // n_blocks).mean(-1)
    nb = blocks.shape[-1]
    total = blocks.sum(-1)
    temps = series.temperatures
    full = _derived(total / nb, series.size, temps)
    loo = (total[..., None] - blocks) / (nb - 1)  # (4, T, nb)
    jack = _derived(loo, series.size, temps[:, None])
    errs = [np.sqrt((nb - 1) / nb * np.sum((j - j.mean(-1, keepdims=True)) ** 2, -1))
            for j in jack]
    return IsingObservables(series.size, temps, *full, *errs)
