"""REMC's named choices as enums, with their messages in one place.

At the library level the choices are objects (``REMC(reference=Reference.STABILIZED)``);
the strings of model files and the command line (``reference = "stabilized"``) are mapped
to them by :func:`parse`, the only place that knows both. The enums are ``str`` enums, so a
result's attributes still hold plain strings.
"""

from __future__ import annotations

import enum

from ...errors import BayesfitError


class Move(enum.StrEnum):
    """Within-replica move: Hamiltonian Monte Carlo or random-walk Metropolis."""

    HMC = "hmc"
    RWM = "rwm"


class Mass(enum.StrEnum):
    """Mass matrices (HMC) / proposal scales (RWM): per coordinate or full covariances."""

    DIAG = "diag"
    DENSE = "dense"


class Noise(enum.StrEnum):
    """Unknown noise levels: sampled with their priors, or at the free-energy minimum."""

    FREE = "free"
    FREE_ENERGY = "free_energy"


class NoiseUpdate(enum.StrEnum):
    """How several noise levels leave the ray of ``F(sigma)``: coordinate-wise free-energy
    ladders (``noise_sweeps`` of them), or the stationarity condition
    ``sigma_d**2 = E[SSR_d] / n_d`` iterated with posterior runs (``_stationary.py``)."""

    LADDERS = "ladders"
    STATIONARY = "stationary"


class Start(enum.StrEnum):
    """Where the replicas start: the Laplace approximation of a multi-start MAP, or the prior."""

    MAP = "map"
    PRIOR = "prior"


class Reference(enum.StrEnum):
    """The reference distribution the ladder tempers from (``README.md``, "References").

    ``PRIOR``: ``prior * L**b`` (classic power posteriors). ``GAUSSIAN``: ``q**(1-b) pi**b``
    with ``q`` a Gaussian fitted at the Laplace start and refitted by moment matching to the
    ``b = 1`` replicas (Surjanovic et al. 2022). ``STABILIZED``: both legs, joined at the
    posterior, so that modes the Gaussian misses stay reachable from the prior.
    """

    PRIOR = "prior"
    GAUSSIAN = "gaussian"
    STABILIZED = "stabilized"


_HELP = {
    "move": "'hmc' (default) or 'rwm'",
    "mass": "'diag' (default) or 'dense' (strongly correlated posteriors)",
    "noise": "'free' (noise levels sampled) or 'free_energy' (at the minimum of F(sigma))",
    "noise_update": "'ladders' (default: one free-energy ladder per dataset and sweep) or "
                    "'stationary' (posterior runs only: sigma_d**2 = E[SSR_d] / n_d)",
    "start": "'map' (default: multi-start MAP + Laplace) or 'prior'",
    "reference": "'stabilized', 'gaussian', 'prior' or None (default: 'stabilized', or "
                 "'gaussian' for likelihoods with an adaptive cost such as ODE solves)",
}


def parse(kind: type[enum.StrEnum], field: str, value) -> enum.StrEnum:
    """``value`` (an enum member or its string name) as a member of ``kind``; a
    :class:`BayesfitError` naming the option, the value and the choices otherwise."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        try:
            return kind(value.strip().lower())
        except ValueError:
            pass
    raise BayesfitError(f"REMC: {field} must be one of {[m.value for m in kind]}, got "
                        f"{value!r}; use {_HELP[field]}.")
