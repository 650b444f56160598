"""``REMC``: replica-exchange Monte Carlo with evidence and free-energy noise estimation.

Replica exchange / exchange Monte Carlo: Hukushima & Nemoto (1996), J. Phys. Soc. Jpn.
65, 1604; swaps by the non-reversible DEO scheme and the adaptive ladder of Syed et al.
(2021), JRSS B 84, 321; evidence by thermodynamic integration (Friel & Pettitt 2008) and
stepping stone (Xie et al. 2011); noise levels by minimising the Bayesian free energy
(Tamura et al. 2020, PRB 101, 224435). Design notes: ``README.md`` in this folder.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
import warnings
from dataclasses import dataclass
from typing import ClassVar

import arviz as az
import jax.numpy as jnp
import numpy as np

from ...errors import BayesfitError
from .._method import Method
from .._optima import optima_group
from .._output import Draws
from ._checkpoint import Checkpoint, fingerprint
from ._driver import LadderRun, Runner, cached_runner
from ._evidence import stepping_stone, thermodynamic_integration
from ._free_energy import NoiseState, estimate_noise, map_noise_levels, with_noise_fixed
from ._groups import evidence_group, ladder_group
from ._mirrors import count_mirrors
from ._noise_group import noise_group
from ._options import Mass, Move, Noise, NoiseUpdate, Reference, Start, parse
from ._replicas import PILOT, PILOT_DRAWS, choose_replicas, pilot_warmup
from ._sampler import Path
from ._start import laplace_start, map_optimum, pooled_start, with_modes
from ._stationary import ssr_function, stationarity, stationary_noise


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise BayesfitError(msg)


@dataclass(frozen=True)
class REMC(Method):
    """Replica-exchange Monte Carlo on power posteriors ``prior * L**b``, ``0 <= b <= 1``.

    Every independent run (``chains`` of :func:`bayesfit.fit`; one ArviZ chain each, so
    R-hat compares runs) holds ``replicas`` replicas on its own ladder; all replicas of all
    runs advance in one jitted chunk of steps (replicas vmapped, runs one after another on
    each device, blocks of runs over the local devices). The draws are those of the
    ``b = 1`` replica; the ladder also gives the log evidence in nats (result groups ``ladder`` and
    ``evidence``, :attr:`Result.log_evidence`, stepping stone; TI beside it). Its error is
    the spread of the runs: use 8 or more runs for an evidence you report.

    Parameters
    ----------
    reference:
        What the ladder tempers from (:class:`~._options.Reference`; README "References").
        ``"prior"``: power posteriors ``prior * L**b``. ``"gaussian"``: ``q**(1-t) pi**t``
        with a Gaussian ``q`` at the Laplace approximation of the MAP, refitted to the
        posterior replicas during warm-up (Surjanovic et al. 2022): a small barrier for
        sharp posteriors. ``"stabilized"``: both legs joined at the posterior, so that
        modes ``q`` misses stay reachable from the prior. ``None`` (default):
        ``"stabilized"``, except ``"gaussian"`` when a dataset's model has an adaptive cost
        (:attr:`bayesfit.Dataset.adaptive_cost`, e.g. an ODE kernel): there the prior leg's
        replicas sit at prior-like points where one solve costs 10-30 times more than near
        the posterior (the linear-VAE example: a 22-replica stabilized pilot at 1.5 s per
        step against 0.2 s for the Gaussian leg's 6). Recorded in the result (attribute
        ``reference``). With ``"gaussian"`` or ``"stabilized"`` and ``start="map"``, when
        the multi-start search finds several distinct optima that carry posterior weight
        (mirror modes, a ferro/antiferro swap), ``q`` is the mixture of their Laplace
        approximations (weights from their Laplace evidences, 20 % spread evenly; at most
        ``reference_modes`` components), refitted per component to the pilot's draws: its
        exact draws land in every mode, so the posterior replica visits each with its
        posterior weight (result group ``optima``, ``sampled_weight``).
    reference_modes:
        Most components of that mixture (default 8); 1: always one Gaussian.
    replicas:
        Replicas per leg, or None (default): chosen after a tuning pilot as about
        ``2 Lambda + 2`` for the measured barrier ``Lambda`` of each leg.
    inflation:
        The reference's covariance is the fitted one times ``inflation**2`` (>= 1).
    noise_low:
        With ``reference="gaussian"`` and ``noise="free_energy"``: the noise ladders run
        from ``b = noise_low`` (``sigma = sigma_0 / sqrt(noise_low)``) to 1, attached to
        the posterior, whose evidence (from ``q``) fixes ``F``'s constant.
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
        MAP ratios; one ladder per dataset less). Used with ``noise_update="ladders"``.
    noise_update:
        How several noise levels leave the ray (:class:`~._options.NoiseUpdate`):
        ``"ladders"`` (default): ``noise_sweeps`` coordinate-wise free-energy ladders.
        ``"stationary"``: after the ray, posterior runs at the current levels, each
        followed by ``sigma_d**2 = E[SSR_d] / n_d`` (where ``dF / d sigma_d = 0``, by
        Fisher's identity), until the levels settle within 3 Monte Carlo errors (at most 4
        runs; one ladder per dataset less, and with ``reference="gaussian"`` each run has
        the reference leg only). Either way the noise group records ``dF / d log sigma``
        at ``sigma_hat`` as a check.
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

    replicas: int | None = None
    move: Move = Move.HMC
    leapfrog_steps: int = 8
    moves_per_step: int = 1
    mass: Mass = Mass.DIAG
    target_accept: float | None = None
    adapt_ladder: bool = True
    noise: Noise = Noise.FREE
    noise_ref: float = 0.5
    noise_sweeps: int = 1
    noise_update: NoiseUpdate = NoiseUpdate.LADDERS
    start: Start = Start.MAP
    map_restarts: int = 32
    reference: Reference | None = None
    reference_modes: int = 8
    inflation: float = 1.2
    noise_low: float = 0.02
    checkpoint: str | None = None
    checkpoint_every: int = 500
    resume: bool = False
    chunk: int = 100

    name: ClassVar[str] = "remc"

    def with_checkpoint(self, path, *, resume: bool) -> REMC:
        """A copy that checkpoints to ``path`` (and resumes from it with ``resume``)."""
        return dataclasses.replace(self, checkpoint=str(path), resume=bool(resume))

    def __post_init__(self):
        for field, kind in (("move", Move), ("mass", Mass), ("noise", Noise),
                            ("noise_update", NoiseUpdate), ("start", Start),
                            ("reference", Reference)):
            if field == "reference" and self.reference is None:
                continue  # chosen for the problem at run time (resolved_reference)
            object.__setattr__(self, field, parse(kind, field, getattr(self, field)))
        r = self.replicas
        _check(r is None or (isinstance(r, int) and not isinstance(r, bool) and r >= 3),
               f"REMC: replicas must be None (chosen from the barrier) or an integer >= 3, "
               f"got {r!r}.")
        _check(float(self.inflation) >= 1.0,
               f"REMC: inflation must be >= 1, got {self.inflation!r}.")
        _check(0.0 < float(self.noise_low) < 1.0,
               f"REMC: noise_low must lie in (0, 1), got {self.noise_low!r}.")
        for f in ("leapfrog_steps", "moves_per_step", "noise_sweeps", "checkpoint_every",
                  "chunk", "map_restarts", "reference_modes"):
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
        return 0.75 if self.move == Move.HMC else 0.3

    def _legs(self, estimating_noise: bool) -> tuple[bool, bool, float]:
        """``(power leg, reference leg, low)`` of every stage's layout."""
        if self.reference == Reference.PRIOR:
            return True, False, 0.0
        if self.reference == Reference.STABILIZED:
            return True, True, 0.0
        return estimating_noise, True, float(self.noise_low) if estimating_noise else 0.0

    def _runner(self, problem, chains, draws, warmup, sizes: dict) -> Runner:
        _check(problem.dim >= 1, "REMC: the problem has no free parameter to sample; give at "
               "least one parameter a prior.")
        return cached_runner(problem, replicas=sizes.get("power", 1),
                             reference_replicas=sizes.get("reference", 1), chains=chains,
                             draws=draws, warmup=warmup, move=self.move.value,
                             leapfrog_steps=self.leapfrog_steps,
                             moves_per_step=self.moves_per_step, target_accept=self._accept(),
                             adapt_ladder=self.adapt_ladder, chunk=self.chunk,
                             dense=self.mass == Mass.DENSE,
                             refit=self.reference != Reference.PRIOR,
                             inflation=float(self.inflation))

    def _sizes(self, problem, path, start, estimating_noise, chains, draws, warmup, key,
               progress, ckpt):
        """Replicas per leg (``replicas`` if given, else from a pilot's barriers) and where
        the stages start: with a fitted reference, the pilot's posterior draws (pooled over
        runs: mean and covariance) replace the Laplace start, so that modes the pilot found
        are in the first reference of every stage."""
        power, ref, low = self._legs(estimating_noise)
        if self.replicas is not None:
            return {"power": self.replicas if power else 1,
                    "reference": self.replicas if ref else 1}, start
        pilot = {"power": (PILOT["prior"] if low == 0.0 else PILOT["attached"]) if power else 1,
                 "reference": PILOT["reference"] if ref else 1}
        runner = self._runner(problem, chains, min(draws, PILOT_DRAWS), pilot_warmup(warmup),
                              pilot)
        run = runner.run("pilot", key, path._replace(low=low), ckpt, progress, start)
        if ref:
            start = pooled_start(run.z, start)
        return choose_replicas(run), start

    def _sampling_options(self) -> dict:
        skip = {"checkpoint", "checkpoint_every", "resume", "chunk"}
        return {k: str(v) if isinstance(v, enum.Enum) else v
                for k, v in dataclasses.asdict(self).items() if k not in skip}

    @staticmethod
    def _evidence(run: LadderRun, problem):
        """TI and stepping-stone estimates along the reference leg if there is one, else the
        power leg, with the mirror modes of an exactly symmetric model that the runs did
        not visit counted in (``_mirrors``); warnings when they disagree. Also the prior
        leg's stepping stone of a stabilized run (a check, as estimated), and the mirror
        count."""
        main = "reference" if run.leg("reference") is not None else "power"
        betas, u = run.leg(main)
        mirrors = count_mirrors(problem, run.z, run.lp)
        c = mirrors.correction
        ti, ss = (e._replace(value=e.value + c, per_run=np.asarray(e.per_run) + c)
                  for e in (thermodynamic_integration(betas, u), stepping_stone(betas, u)))
        comb = math.hypot(ti.err, ss.err)
        if abs(ti.value - ss.value) > 3 * comb:
            warnings.warn(
                f"REMC: thermodynamic integration ({ti.value:.3f} +- {ti.err:.3f}) and "
                f"stepping stone ({ss.value:.3f} +- {ss.err:.3f}) disagree; use more "
                "replicas or more draws.", RuntimeWarning, stacklevel=3)
        check = None
        if main == "reference" and run.leg("power") is not None and float(run.low) == 0.0:
            check = stepping_stone(*run.leg("power"))
        return ti, ss, check, mirrors

    def _finish(self, run: LadderRun, evidence, *, groups: dict, note: str,
                problem=None) -> Draws:
        ti, ss, check, mirrors = evidence
        rhat = float(np.max(az.rhat(run.z, chain_axis=0, draw_axis=1))) \
            if run.z.shape[0] > 1 and run.z.shape[1] > 3 else float("nan")
        failed = []
        if np.any(run.round_trips == 0):
            runs = [int(r) for r in np.flatnonzero(run.round_trips == 0)]
            failed.append(f"remc: no round trip between the reference and the posterior in "
                          f"run(s) {runs}; the draws may miss modes: use more replicas, more "
                          "warm-up or reference='stabilized'")
            warnings.warn("REMC: " + failed[-1][6:] + ".", RuntimeWarning, stacklevel=3)
        groups = {"ladder": ladder_group(run, move=self.move.value, rhat_max=rhat,
                                         reference=self.reference.value),
                  "evidence": evidence_group(ti, ss, note=note, prior_leg=check,
                                             mirrors=mirrors), **groups}
        stats = {"lp": run.lp, "acceptance_rate": run.acc}
        main = "reference" if run.leg("reference") is not None else "power"
        attrs = {"replicas": int(run.betas.shape[1]), "noise": self.noise.value,
                 "reference": self.reference.value,
                 "log_evidence": ss.value, "log_evidence_err": ss.err,
                 "round_trips": int(np.sum(run.round_trips)),
                 "round_trips_min": int(np.min(run.round_trips)),
                 "barrier": float(np.mean(run.barrier(main))), "rhat_max": rhat}
        if failed:  # the "check: message" JSON list of bayesfit.results._checks
            attrs["diagnostics_failed"] = json.dumps(failed)
            attrs["diagnostics_ok"] = 0
        return Draws(z=jnp.asarray(run.z), sample_stats=stats, groups=groups, attrs=attrs,
                     problem=problem)

    def resolved_reference(self, problem) -> Reference:
        """The reference of a run on ``problem``: the one given, else ``STABILIZED``, or
        ``GAUSSIAN`` when the likelihood has an adaptive cost (see ``reference``)."""
        if self.reference is not None:
            return self.reference
        return Reference.GAUSSIAN if problem.adaptive_cost else Reference.STABILIZED

    # -- entry point ----------------------------------------------------------------
    def run(self, problem, *, chains, draws, warmup, key, progress) -> Draws:
        if self.reference is None:
            return dataclasses.replace(self, reference=self.resolved_reference(problem)).run(
                problem, chains=chains, draws=draws, warmup=warmup, key=key,
                progress=progress)
        # the fingerprint evaluates the density (a compiled program): only with a checkpoint
        fp = fingerprint(problem, self._sampling_options(), chains, draws, warmup, key) \
            if self.checkpoint else ""
        ckpt = Checkpoint(self.checkpoint, fp, every=self.checkpoint_every, resume=self.resume)
        unknown = [d for d in problem.datasets if d.sigma is None and d.noise_name in problem.free]
        estimating = self.noise == Noise.FREE_ENERGY and bool(unknown)
        stochastic = [d.name for d in unknown if d.model_sd is not None]
        _check(not (estimating and stochastic),
               f"REMC(noise='free_energy'): dataset(s) {stochastic} carry a model error "
               "(model_sd, e.g. the FTLM solver) added to the noise in quadrature, which breaks "
               "the identity F(sigma) rests on; use noise='free' or the exact solver.")
        values, opt = map_optimum(problem, key, ckpt, self.map_restarts, progress) \
            if self.start == Start.MAP or estimating else (None, None)
        if not estimating:
            return self._plain(problem, chains, draws, warmup, key, progress, ckpt, values,
                               opt)
        return self._free_energy(problem, unknown, chains, draws, warmup, key, progress, ckpt,
                                 values, opt)

    def _start(self, problem, values, modes=None):
        """The Laplace start at ``values``; with a fitted reference and several optima
        ``modes`` that carry weight, with their mixture (:func:`._start.with_modes`)."""
        if self.start != Start.MAP:
            return None
        start = laplace_start(problem, values)
        if modes and self.reference != Reference.PRIOR and self.reference_modes > 1:
            start = with_modes(start, modes, self.reference_modes)
        return start

    def _plain(self, problem, chains, draws, warmup, key, progress, ckpt, values,
               opt=None) -> Draws:
        D = len(problem.datasets)
        path = Path(jnp.zeros(D), jnp.ones(D), jnp.zeros(()), jnp.asarray(True))
        # every distinct optimum of the MAP search; the share of draws near each is filled
        # in by fit (the posterior weight of each mode, as for NUTS)
        optima, modes = optima_group(problem, opt) if opt is not None else (None, None)
        start = self._start(problem, values, modes)
        sizes, start = self._sizes(problem, path, start, False, chains, draws, warmup, key,
                                   progress, ckpt)
        runner = self._runner(problem, chains, draws, warmup, sizes)
        run = runner.run("posterior", key, path, ckpt, progress, start)
        unknown = any(d.sigma is None and d.noise_name in problem.free for d in problem.datasets)
        note = "log p(data | model), noise levels " + (
            "marginalised with their priors" if unknown else "known")
        groups = {"optima": optima} if optima is not None else {}
        out = self._finish(run, self._evidence(run, problem), groups=groups, note=note)
        return out._replace(attrs=out.attrs | {"noise": "free" if unknown else "known"})

    # -- free-energy noise estimation (see _free_energy.py) ------------------------------
    def _free_energy(self, problem, unknown, chains, draws, warmup, key, progress, ckpt,
                     values, opt=None):
        names = [d.noise_name for d in unknown]
        sigma_map = map_noise_levels(values, names)
        sigma_ref = {k: self.noise_ref * s for k, s in sigma_map.items()}
        fixed = with_noise_fixed(problem, sigma_ref)
        start = self._start(fixed, values)
        est = NoiseState(problem.datasets, names, sigma_ref, low=self._legs(True)[2])
        first = est.path(offset={}, direction={k: 1.0 for k in names}, temper_known=False)
        sizes, start = self._sizes(fixed, first, start, True, chains, draws, warmup, key,
                                   progress, ckpt)
        runner = self._runner(fixed, chains, draws, warmup, sizes)
        stationary = self.noise_update == NoiseUpdate.STATIONARY and len(names) > 1
        ray = estimate_noise(runner, est, key, ckpt, progress, noise_ref=self.noise_ref,
                             sweeps=0 if stationary else self.noise_sweeps, init=start)
        # the posterior and the evidence at sigma_hat; with a Gaussian reference only its
        # leg is needed there (the power leg served the noise ladders)
        post = runner if self.reference != Reference.GAUSSIAN else self._runner(
            fixed, chains, draws, warmup, {"power": 1, "reference": sizes["reference"]})

        def path_at(sigma):
            a = {k: (est.sigma_ref[k] / sigma[k]) ** 2 for k in names}
            return est.path(offset={}, direction=a, temper_known=True)

        ssr = ssr_function(fixed, names)
        if stationary:
            run, stat = stationary_noise(post, est, path_at, ssr, key, ckpt, progress, start)
        else:
            run = post.run("posterior", key, path_at(est.sigma_hat), ckpt, progress, start)
            stat = stationarity(ssr, run.z, names, est.n, est.sigma_hat)
        note = ("log p(data | model, sigma = sigma_hat): noise levels at the free-energy "
                "minimum (type-II maximum likelihood), not marginalised")
        evidence = self._evidence(run, fixed)
        noise = noise_group(est, sigma_map, evidence[1].value,
                            ray=ray if len(names) > 1 else None, stationarity=stat,
                            stationary=stationary)
        hat = with_noise_fixed(problem, est.sigma_hat)
        groups = {"noise": noise}
        if opt is not None:  # the optima of the full problem (noise levels free): Laplace
            # weights only, the draws (noise fixed) have fewer coordinates
            optima = optima_group(problem, opt)[0]
            optima.attrs["sampled"] = 0
            groups["optima"] = optima
        return self._finish(run, evidence, groups=groups, note=note, problem=hat)
