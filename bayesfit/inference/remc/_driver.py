"""Host driver: independent runs in blocks over the local devices, steps scanned in jitted
chunks.

The only host round-trips are between chunks (progress bar, copying kept draws out,
checkpoints). All stages of one :class:`REMC` run share one compiled chunk: the path
(likelihood weights) is an argument, not a constant.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ..._progress import bar
from .._devices import join_blocks, map_blocks, split_over_devices
from . import _sampler
from ._checkpoint import Checkpoint, terminate_as_interrupt
from ._ladder import initial_ladder
from ._reference import Mixture


class Start(NamedTuple):
    """A mode of the posterior to start from: its location ``z`` ``(dim,)`` and the
    Cholesky factor ``chol`` ``(dim, dim)`` of its Laplace covariance (unconstrained
    space); ``use = False`` starts every replica from the prior. Replica ``k`` starts at
    ``z + chol e / sqrt(b_k)`` (``e`` standard normal clipped to +-2, independent for every
    replica and run), with that covariance as its first mass matrix, when it is narrower
    than the prior in every coordinate; else from a prior draw. ``modes``: the distinct
    optima that carry posterior weight, as a mixture (heaviest component first); with a
    fitted reference, ``q`` is then that mixture, covariances inflated."""

    z: jax.Array
    chol: jax.Array
    use: jax.Array
    modes: Mixture | None = None

    @classmethod
    def prior(cls, dim: int) -> Start:
        return cls(jnp.zeros(dim), jnp.eye(dim), jnp.asarray(False))


class LadderRun(NamedTuple):
    """What one stage returns (NumPy arrays; R runs, N kept draws, K slots laid out as in
    :class:`~._sampler.Layout`)."""

    betas: np.ndarray  # (R, K) final ladder (b on the power leg, t on the reference leg)
    u: np.ndarray  # (R, N, K, 2) integrands of the power and reference legs (nats)
    z: np.ndarray  # (R, N, dim) draws at b = 1
    lp: np.ndarray  # (R, N) log target at b = 1
    acc: np.ndarray  # (R, N) move acceptance at b = 1
    swap: np.ndarray  # (R, K-1) mean swap acceptance probability per pair
    move_acc: np.ndarray  # (R, K) mean move acceptance per replica
    step_size: np.ndarray  # (R, K)
    round_trips: np.ndarray  # (R,)
    power: np.ndarray  # () slots of the power leg (Layout.power)
    low: np.ndarray  # () b where the power leg starts
    ref_mean: np.ndarray  # (R, M, dim) the reference q of every run (unconstrained space):
    ref_chol: np.ndarray  # (R, M, dim, dim) M Gaussian components and their Cholesky factors
    ref_log_w: np.ndarray | None = None  # (R, M) normalised log weights (None: M = 1)

    @property
    def layout(self) -> _sampler.Layout:
        return _sampler.Layout(int(self.power), self.betas.shape[1] - int(self.power) + 1)

    def leg(self, name: str) -> tuple[np.ndarray, np.ndarray] | None:
        """``(betas (R, K_leg), u (R, N, K_leg))`` of the leg ``"power"`` or ``"reference"``
        (slots from its reference end to the posterior), None when the run has no such leg."""
        for leg, slots, _ in self.layout.legs():
            if leg == name:
                return self.betas[:, slots], self.u[:, :, slots, int(name == "reference")]
        return None

    def barrier(self, name: str) -> np.ndarray | None:
        """Global communication barrier of a leg per run: sum of its pair rejection rates."""
        for leg, _, pairs in self.layout.legs():
            if leg == name:
                return np.sum(1.0 - self.swap[:, pairs], axis=1)
        return None


def loglik_vector(problem):
    """``z -> (D,)`` total log likelihood of every dataset (nats)."""

    def fn(z):
        ll = problem.dataset_log_likelihoods(problem.constrain(z))
        return jnp.stack([ll[d.name] for d in problem.datasets])

    return fn


def prior_draw(problem):
    """``key -> z``: one exact draw from the prior, in the unconstrained space."""
    names = list(problem.free)

    def fn(key):
        keys = jax.random.split(key, len(names))
        return problem.unconstrain(
            {k: problem.free[k].sample(kk) for k, kk in zip(names, keys, strict=True)})

    return fn


class Runner:
    """Runs stages (ladders along given paths) of one problem with fixed options."""

    def __init__(self, problem, *, replicas: int, chains: int, draws: int, warmup: int,
                 move: str, leapfrog_steps: int, moves_per_step: int, target_accept: float,
                 adapt_ladder: bool, chunk: int, dense: bool = False,
                 reference_replicas: int = 1, refit: bool = False, inflation: float = 1.0):
        self.problem = problem
        self.layout = _sampler.Layout(replicas, reference_replicas)
        self.inflation = float(inflation)
        self.K, self.R, self.N, self.W = self.layout.size, chains, draws, warmup
        self.move = move
        self.dense = dense
        self.chunk = max(1, min(chunk, warmup + draws))
        self.log_prior_fn = problem.log_prior_z
        self.loglik_fn = loglik_vector(problem)
        step = _sampler.build_kernel(
            self.log_prior_fn, self.loglik_fn, prior_draw(problem), move=move,
            leapfrog_steps=leapfrog_steps, moves_per_step=moves_per_step,
            target_accept=target_accept, schedule=_sampler.make_schedule(warmup, adapt_ladder),
            dense=dense, layout=self.layout, refit=refit, inflation=inflation,
            # adaptive-cost likelihoods (ODE solves): replicas one at a time on a CPU, where
            # a batch buys little and its slowest lane sets the pace of all
            loop=problem.adaptive_cost and jax.default_backend() == "cpu")
        n_chunk = self.chunk

        def run_chunk(state, run_key, t0, t_end, path):
            """``n_chunk`` steps of one run (steps past ``t_end`` leave it unchanged)."""
            def body(s, i):
                t = t0 + i
                new, out = step(s, jax.random.fold_in(run_key, t), t, path)
                s = jax.tree_util.tree_map(lambda a, b: jnp.where(t < t_end, a, b), new, s)
                return s, out

            return jax.lax.scan(body, state, jnp.arange(n_chunk))

        def chunk_fn(states, run_keys, t0, t_end, path):
            # the runs of one device one after another (not vmapped): each run is then the
            # same compiled arithmetic however many runs a device holds, so the draws do not
            # depend on the number of devices (a vmapped batch rounds differently by width)
            return jax.lax.map(lambda a: run_chunk(a[0], a[1], t0, t_end, path),
                               (states, run_keys))

        self._chunk = jax.jit(chunk_fn)
        init = lambda z0, b, ls, sc, q: _sampler.init(  # noqa: E731
            z0, b, ls, sc, q, self.log_prior_fn, self.loglik_fn)
        self._init = jax.vmap(init)
        self._start = jax.jit(self._initial_state)

    # -- starting state ---------------------------------------------------------------
    def _initial_state(self, stage_key, start: Start, low):
        """Run keys and starting states of all runs (one compiled function)."""
        k_init, k_steps = jax.random.split(stage_key)
        run_keys = jax.vmap(lambda r: jax.random.fold_in(k_steps, r))(jnp.arange(self.R))
        return run_keys, self.initial_state(k_init, start, low)

    def initial_ladder(self, low=0.0):
        """``(K,)`` first rungs: the power leg from ``low`` (:func:`initial_leg`), the
        reference leg evenly spaced in ``t``."""
        lay = self.layout
        low = jnp.asarray(low, dtype=float)
        x = jnp.asarray(initial_ladder(lay.power)) if lay.power > 1 else jnp.ones(1)
        geo = jnp.exp(jnp.linspace(0.0, 1.0, lay.power) * -jnp.log(jnp.maximum(low, 1e-300)))
        power = jnp.where(low > 0, low * geo, x) if lay.power > 1 else jnp.ones(1)
        ref = jnp.linspace(1.0, 0.0, lay.reference)[1:]
        return jnp.concatenate([power, ref])

    def initial_state(self, key, start: Start, low=0.0):
        """Prior draws; where ``start.use``, replicas whose tempered target is narrower than
        the prior start from its Laplace approximation instead (see :class:`Start`).
        Reference-leg replicas start from the reference ``q`` (the Laplace approximation
        with its covariance inflated, or a Gaussian fitted to prior draws)."""
        p, K, R, lay = self.problem, self.K, self.R, self.layout
        k_prior, k_jit = jax.random.split(key)
        flat = p.sample_prior_z(k_prior, R * K)
        z0 = flat.reshape(R, K, p.dim)
        if p.init:  # the user's starting point goes to the b = 1 replica of every run
            z0 = z0.at[:, lay.target].set(flat[0])
        sd = jnp.std(flat, axis=0)
        sd = jnp.where(jnp.isfinite(sd) & (sd > 0), sd, 1.0)
        ref_leg = (jnp.arange(K) > lay.target)[None, :]
        ladder = self.initial_ladder(low)
        betas = jnp.broadcast_to(ladder, (R, K))
        b_eff = jnp.where(ref_leg, 1.0, betas)  # reference-leg targets are posterior-like
        # Laplace approximation of prior * L**b: covariance / b, used while narrower than
        # the prior
        inv_sqrt_b = 1.0 / jnp.sqrt(jnp.maximum(b_eff, 1e-300))
        width = jnp.sqrt(jnp.sum(start.chol**2, axis=1))[None, None, :] * inv_sqrt_b[..., None]
        narrow = (jnp.all(width < sd, axis=-1) & (b_eff > 0) & start.use)[..., None]
        eps = jnp.clip(jax.random.normal(k_jit, (R, K, p.dim)), -2.0, 2.0)
        near = start.z + inv_sqrt_b[..., None] * (eps @ start.chol.T)
        z0 = jnp.where(narrow, near, z0)
        chol = jnp.where(narrow[..., None], inv_sqrt_b[..., None, None] * start.chol,
                         jnp.diag(sd))
        if not self.dense:
            chol = jnp.sqrt(jnp.sum(chol**2, axis=-1))[..., None] * jnp.eye(p.dim)
        eps0 = 2.38 / np.sqrt(p.dim) if self.move == "rwm" else 0.5 / p.dim**0.25
        log_step = jnp.full((R, K), np.log(eps0))
        # the reference: the Laplace approximation (covariance inflated), or the mixture of
        # the optima's (start.modes), else a Gaussian with the mean and spread of the prior
        # draws
        mean = jnp.where(start.use, start.z, jnp.mean(flat, axis=0))
        chol_q = jnp.where(start.use, self.inflation * start.chol, jnp.diag(sd))
        if start.modes is None:
            q = Mixture(jnp.zeros(1), mean[None], chol_q[None])
        else:
            q = start.modes._replace(chol=self.inflation * start.modes.chol)
        ref = jax.tree_util.tree_map(lambda x: jnp.broadcast_to(x, (R, *x.shape)), q)
        if lay.reference > 1:
            eps = jnp.clip(jax.random.normal(k_jit, (R, K, p.dim)), -2, 2)
            if q.components == 1:
                qz = mean + eps @ chol_q.T
            else:  # a component per replica, drawn with the mixture weights
                m = jax.random.categorical(jax.random.fold_in(k_jit, 1), q.log_w, shape=(R, K))
                qz = q.mean[m] + jnp.einsum("rkij,rkj->rki", q.chol[m], eps)
            z0 = jnp.where(ref_leg[..., None], qz, z0)
        return self._init(z0, betas, log_step, chol, ref)

    # -- one stage ----------------------------------------------------------------------
    def run(self, stage: str, key, path: _sampler.Path, ckpt: Checkpoint,
            progress: bool | None, start: Start | None = None) -> LadderRun:
        if stage in ckpt.done:
            return LadderRun(**ckpt.done[stage])
        stage_key = jax.random.fold_in(key, zlib.crc32(stage.encode()) & 0x7FFFFFFF)
        if start is None:
            start = Start.prior(self.problem.dim)
        run_keys, states = self._start(stage_key, start, path.low)
        leaves, treedef = jax.tree_util.tree_flatten(states)
        K, R, N, W, dim = self.K, self.R, self.N, self.W, self.problem.dim
        total = W + N
        buf = {"z": np.zeros((R, N, dim)), "u": np.zeros((R, N, K, 2)), "lp": np.zeros((R, N)),
               "acc": np.zeros((R, N))}
        t = 0
        part = ckpt.partial.get(stage)
        if part is not None:
            leaves = [jnp.asarray(part[f"leaf{i}"]) for i in range(len(leaves))]
            states = jax.tree_util.tree_unflatten(treedef, leaves)
            buf = {k: np.array(part[k]) for k in buf}
            t = int(part["t"])

        # independent runs in contiguous blocks, one per local device (one block on one
        # device); every chunk is dispatched to all blocks before any result is awaited.
        # Each device compiles the chunk once (in parallel): the price of equal draws
        blocks = split_over_devices((run_keys, states), R)

        def snapshot():
            _, states = join_blocks(blocks)
            arrays = {f"leaf{i}": x for i, x in enumerate(jax.tree_util.tree_leaves(states))}
            return arrays | buf | {"t": np.asarray(t)}

        last_save = t
        path = jax.tree_util.tree_map(jnp.asarray, path)
        with bar(total, f"remc {stage}", progress) as pbar, terminate_as_interrupt():
            pbar.update(t)
            try:
                while t < total:
                    calls = map_blocks(
                        lambda b, t=t: self._chunk(b[1], b[0], t, total, path), blocks)
                    out = join_blocks([o for _, o in calls])
                    hi = min(t + self.chunk, total)
                    lo = max(t, W)
                    if hi > lo:
                        for name in buf:
                            v = np.asarray(getattr(out, name))[:, lo - t:hi - t]
                            buf[name][:, lo - W:hi - W] = v
                    pbar.update(hi - t)
                    blocks = [(keys, st) for (keys, _), (st, _) in zip(blocks, calls, strict=True)]
                    t = hi  # commit
                    if ckpt.enabled and t < total and t - last_save >= ckpt.every:
                        ckpt.save_partial(stage, snapshot())
                        last_save = t
            except KeyboardInterrupt:
                if ckpt.enabled and t > last_save:
                    ckpt.save_partial(stage, snapshot())
                raise
        _, s = join_blocks(blocks)
        n_kept = np.maximum(np.asarray(s.n_kept), 1)[:, None]
        result = LadderRun(
            betas=np.asarray(s.betas), u=buf["u"], z=buf["z"], lp=buf["lp"], acc=buf["acc"],
            swap=np.asarray(s.swap_sum) / n_kept, move_acc=np.asarray(s.acc_sum) / n_kept,
            step_size=np.exp(np.asarray(s.log_step)), round_trips=np.asarray(s.rt.trips),
            power=np.asarray(self.layout.power), low=np.asarray(float(path.low)),
            ref_mean=np.asarray(s.ref.mean), ref_chol=np.asarray(s.ref.chol),
            ref_log_w=np.asarray(s.ref.log_w),
        )
        ckpt.save_done(stage, result._asdict())
        return result


_CACHE: OrderedDict = OrderedDict()
_CACHE_SIZE = 4


def cached_runner(problem, **options) -> Runner:
    """A :class:`Runner` for ``problem`` and ``options``, reused (with its compiled chunk)
    when the same problem object is fitted again with the same options."""
    key = (id(problem), tuple(sorted(options.items())))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is problem:
        _CACHE.move_to_end(key)
        return hit[1]
    runner = Runner(problem, **options)
    _CACHE[key] = (problem, runner)
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return runner
