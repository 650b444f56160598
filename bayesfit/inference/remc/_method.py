"""``REMC``: replica-exchange Monte Carlo with evidence and free-energy noise estimation.

Replica exchange / exchange Monte Carlo: Hukushima & Nemoto (1996), J. Phys. Soc. Jpn.
65, 1604; swaps by the non-reversible DEO scheme and the adaptive ladder of Syed et al.
(2021), JRSS B 84, 321; evidence by thermodynamic integration (Friel & Pettitt 2008) and
stepping stone (Xie et al. 2011); noise levels by minimising the Bayesian free energy
(Tamura et al. 2020, PRB 101, 224435). Design notes: ``README.md`` in this folder.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass
from typing import ClassVar

import arviz as az
import jax.numpy as jnp
import numpy as np

from ...errors import BayesfitError
from .._method import Method
from .._output import Draws
from ._checkpoint import Checkpoint, fingerprint
from ._driver import LadderRun, Runner, cached_runner
from ._evidence import stepping_stone, thermodynamic_integration
from ._free_energy import NoiseState, estimate_noise, map_noise_levels, with_noise_fixed
from ._groups import evidence_group, ladder_group
from ._noise_group import noise_group
from ._sampler import Path
from ._start import laplace_start, map_optimum

_MOVES = ("hmc", "rwm")
_NOISE = ("free", "free_energy")
_STARTS = ("map", "prior")
_MASS = ("diag", "dense")


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise BayesfitError(msg)


@dataclass(frozen=True)
class REMC(Method):
    """Replica-exchange Monte Carlo on power posteriors ``prior * L**b``, ``0 <= b <= 1``.

    Every independent run (``chains`` of :func:`bayesfit.fit`; one ArviZ chain each, so
    R-hat compares runs) holds ``replicas`` replicas on its own ladder; all replicas of all
    runs advance in one jitted, vmapped step. The draws are those of the ``b = 1`` replica;
    the ladder also gives the log evidence in nats (result groups ``ladder`` and
    ``evidence``, :attr:`Result.log_evidence`, stepping stone; TI beside it). Its error is
    the spread of the runs: use 8 or more runs for an evidence you report.

    Parameters
    ----------
    replicas:
        Rungs of the ladder, ``b_0 = 0`` (prior) to ``b_{K-1} = 1`` (posterior). About
        twice the global communication barrier (``ladder.barrier``) is best.
    move:
        ``"hmc"`` (Hamiltonian Monte Carlo, ``leapfrog_steps`` steps) or ``"rwm"``
        (random-walk Metropolis) within every replica; step sizes and per-coordinate
        scales are tuned per replica during warm-up.
    moves_per_step:
        Within-replica moves between two swap attempts.
    mass:
        ``"diag"``: per-coordinate scales (diagonal mass matrices); ``"dense"``: full
        covariances, for posteriors with strong correlations (spin couplings fitted to
        thermodynamic data often have correlations of 0.9-0.99).
    target_accept:
        Acceptance rate the step sizes are tuned to (default 0.75 for HMC, 0.3 for RWM).
    adapt_ladder:
        Move the rungs during warm-up towards equal swap acceptance (Syed et al. 2021).
    noise:
        ``"free"``: the noise levels ``sigma_<dataset>`` of datasets without known sigma are
        parameters with priors (fully Bayesian). ``"free_energy"``: they are set to the
        minimum of the Bayesian free energy ``F(sigma) = -log p(data | sigma)`` (the
        noise prior is not part of F), and the result is the posterior at ``sigma_hat``
        (its problem has the noise levels fixed); ``F(sigma)`` goes to the group ``noise``.
    noise_ref:
        For ``"free_energy"``: the reference ``sigma_0`` (the ``b = 1`` end of the noise
        ladder) is ``noise_ref`` times the MAP noise level (divided by 4 again if the
        minimum falls on ``sigma_0``).
    noise_sweeps:
        Coordinate-wise sweeps over datasets when several noise levels are estimated
        (0: the minimum along the ray of all noise levels only, their ratios fixed at the
        MAP ratios; one ladder per dataset less).
    start:
        ``"map"`` (default): a multi-start MAP search (``map_restarts`` BFGS runs from prior
        draws) first; replicas whose tempered target is narrower than the prior start from
        its Laplace approximation, the others from the prior (``_start.py``). Essential
        for sharp posteriors with many local optima. ``"prior"``: every replica starts
        from a prior draw.
    map_restarts:
        Starts of that MAP search.
    checkpoint, checkpoint_every, resume:
        Path of a checkpoint file (``.npz``) written atomically every ``checkpoint_every``
        steps (and on SIGTERM / Ctrl-C); ``resume`` continues from it. A resumed run draws
        the same random numbers as an uninterrupted one.
    chunk:
        Steps per jitted chunk between progress updates.
    """

    replicas: int = 16
    move: str = "hmc"
    leapfrog_steps: int = 8
    moves_per_step: int = 1
    mass: str = "diag"
    target_accept: float | None = None
    adapt_ladder: bool = True
    noise: str = "free"
    noise_ref: float = 0.5
    noise_sweeps: int = 1
    start: str = "map"
    map_restarts: int = 32
    checkpoint: str | None = None
    checkpoint_every: int = 500
    resume: bool = False
    chunk: int = 100

    name: ClassVar[str] = "remc"

    def with_checkpoint(self, path, *, resume: bool) -> REMC:
        """A copy that checkpoints to ``path`` (and resumes from it with ``resume``)."""
        return dataclasses.replace(self, checkpoint=str(path), resume=bool(resume))

    def __post_init__(self):
        _check(int(self.replicas) >= 3,
               f"REMC: replicas must be >= 3 (got {self.replicas}); use 16 or more.")
        _check(self.move in _MOVES, f"REMC: move must be one of {_MOVES}, got {self.move!r}.")
        _check(self.noise in _NOISE,
               f"REMC: noise must be one of {_NOISE}, got {self.noise!r}.")
        _check(self.mass in _MASS, f"REMC: mass must be one of {_MASS}, got {self.mass!r}.")
        _check(self.start in _STARTS,
               f"REMC: start must be one of {_STARTS}, got {self.start!r}.")
        for f in ("leapfrog_steps", "moves_per_step", "noise_sweeps", "checkpoint_every",
                  "chunk", "map_restarts"):
            v, least = getattr(self, f), 0 if f == "noise_sweeps" else 1
            _check(isinstance(v, int) and not isinstance(v, bool) and v >= least,
                   f"REMC: {f} must be an integer >= {least}, got {v!r}.")
        ta = self.target_accept
        _check(ta is None or 0.0 < float(ta) < 1.0,
               f"REMC: target_accept must lie in (0, 1), got {ta!r}.")
        _check(0.0 < float(self.noise_ref) <= 1.0,
               f"REMC: noise_ref must lie in (0, 1], got {self.noise_ref!r}.")

    # -- plumbing ---------------------------------------------------------------------
    def _accept(self) -> float:
        if self.target_accept is not None:
            return float(self.target_accept)
        return 0.75 if self.move == "hmc" else 0.3

    def _runner(self, problem, chains, draws, warmup) -> Runner:
        _check(problem.dim >= 1, "REMC: the problem has no free parameter to sample; give at "
               "least one parameter a prior.")
        return cached_runner(problem, replicas=int(self.replicas), chains=chains, draws=draws,
                             warmup=warmup, move=self.move, leapfrog_steps=self.leapfrog_steps,
                             moves_per_step=self.moves_per_step, target_accept=self._accept(),
                             adapt_ladder=self.adapt_ladder, chunk=self.chunk,
                             dense=self.mass == "dense")

    def _sampling_options(self) -> dict:
        skip = {"checkpoint", "checkpoint_every", "resume", "chunk"}
        return {k: v for k, v in dataclasses.asdict(self).items() if k not in skip}

    @staticmethod
    def _evidence(run: LadderRun):
        """TI and stepping-stone estimates, with warnings when they or the ladder look bad."""
        ti = thermodynamic_integration(run.betas, run.u)
        ss = stepping_stone(run.betas, run.u)
        comb = math.hypot(ti.err, ss.err)
        if abs(ti.value - ss.value) > 3 * comb:
            warnings.warn(
                f"REMC: thermodynamic integration ({ti.value:.3f} +- {ti.err:.3f}) and "
                f"stepping stone ({ss.value:.3f} +- {ss.err:.3f}) disagree; use more "
                "replicas or more draws.", RuntimeWarning, stacklevel=3)
        if np.any(run.round_trips == 0):
            warnings.warn(
                "REMC: some runs made no round trip between b = 0 and b = 1 after warm-up; "
                "the ladder may not mix: use more replicas, more warm-up or more draws.",
                RuntimeWarning, stacklevel=3)
        return ti, ss

    def _finish(self, run: LadderRun, evidence, *, groups: dict, note: str,
                problem=None) -> Draws:
        ti, ss = evidence
        rhat = float(np.max(az.rhat(run.z, chain_axis=0, draw_axis=1))) \
            if run.z.shape[0] > 1 and run.z.shape[1] > 3 else float("nan")
        groups = {"ladder": ladder_group(run, move=self.move, rhat_max=rhat),
                  "evidence": evidence_group(ti, ss, note=note), **groups}
        stats = {"lp": run.lp, "acceptance_rate": run.acc}
        attrs = {"replicas": int(self.replicas), "noise": self.noise,
                 "log_evidence": ss.value, "log_evidence_err": ss.err,
                 "round_trips": int(np.sum(run.round_trips)), "rhat_max": rhat}
        return Draws(z=jnp.asarray(run.z), sample_stats=stats, groups=groups, attrs=attrs,
                     problem=problem)

    # -- entry point ----------------------------------------------------------------
    def run(self, problem, *, chains, draws, warmup, key, progress) -> Draws:
        fp = fingerprint(problem, self._sampling_options(), chains, draws, warmup, key)
        ckpt = Checkpoint(self.checkpoint, fp, every=self.checkpoint_every, resume=self.resume)
        unknown = [d for d in problem.datasets if d.sigma is None and d.noise_name in problem.free]
        values = map_optimum(problem, key, ckpt, self.map_restarts) \
            if self.start == "map" or (self.noise == "free_energy" and unknown) else None
        if self.noise == "free" or not unknown:
            return self._plain(problem, chains, draws, warmup, key, progress, ckpt, values)
        return self._free_energy(problem, unknown, chains, draws, warmup, key, progress, ckpt,
                                 values)

    def _start(self, problem, values):
        return laplace_start(problem, values) if self.start == "map" else None

    def _plain(self, problem, chains, draws, warmup, key, progress, ckpt, values) -> Draws:
        runner = self._runner(problem, chains, draws, warmup)
        D = len(problem.datasets)
        path = Path(jnp.zeros(D), jnp.ones(D), jnp.zeros(()), jnp.asarray(True))
        run = runner.run("posterior", key, path, ckpt, progress, self._start(problem, values))
        unknown = any(d.sigma is None and d.noise_name in problem.free for d in problem.datasets)
        note = "log p(data | model), noise levels " + (
            "marginalised with their priors" if unknown else "known")
        out = self._finish(run, self._evidence(run), groups={}, note=note)
        return out._replace(attrs=out.attrs | {"noise": "free" if unknown else "known"})

    # -- free-energy noise estimation (see _free_energy.py) ------------------------------
    def _free_energy(self, problem, unknown, chains, draws, warmup, key, progress, ckpt,
                     values):
        names = [d.noise_name for d in unknown]
        sigma_map = map_noise_levels(values, names)
        sigma_ref = {k: self.noise_ref * s for k, s in sigma_map.items()}
        fixed = with_noise_fixed(problem, sigma_ref)
        runner = self._runner(fixed, chains, draws, warmup)
        start = self._start(fixed, values)
        est = NoiseState(problem.datasets, names, sigma_ref)
        ray = estimate_noise(runner, est, key, ckpt, progress, noise_ref=self.noise_ref,
                             sweeps=self.noise_sweeps, init=start)
        # the posterior and the evidence at sigma_hat
        a_hat = {k: (est.sigma_ref[k] / est.sigma_hat[k]) ** 2 for k in names}
        run = runner.run("posterior", key, est.path(offset={}, direction=a_hat,
                                                    temper_known=True), ckpt, progress, start)
        note = ("log p(data | model, sigma = sigma_hat): noise levels at the free-energy "
                "minimum (type-II maximum likelihood), not marginalised")
        evidence = self._evidence(run)
        noise = noise_group(est, sigma_map, evidence[1].value,
                            ray=ray if len(names) > 1 else None)
        hat = with_noise_fixed(problem, est.sigma_hat)
        return self._finish(run, evidence, groups={"noise": noise}, note=note, problem=hat)
