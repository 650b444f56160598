"""Checkpoints of a long REMC run: periodic, atomic, resumable.

A run is a sequence of *stages* (the ladders of the free-energy noise estimation, the
final ladder). The checkpoint file (``.npz``) holds the outputs of the finished stages and
the state of the stage in progress (every array of the vmapped sampler state, the step
reached and the draws kept so far). It is replaced atomically
(:func:`bayesfit._atomic.write_atomic`), so a run killed at any moment leaves the
previous checkpoint intact.

Random keys are functions of ``(seed, stage, run, step)`` only (``fold_in``), so a
resumed run draws exactly the numbers the uninterrupted run would have drawn.
A *fingerprint* of the problem, the options and the seed guards against resuming a
different run from the same file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import signal
import threading
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from ..._atomic import write_atomic
from ...errors import BayesfitError

_SEP = "::"


def _prior_probe(problem) -> list:
    """The priors, by behaviour: log prior at fixed points and prior draws from a fixed key
    (a distribution's ``repr`` holds a memory address and its attributes change as lazy
    properties are cached, so neither can identify it)."""
    dim = problem.dim
    probe = np.linspace(-1.5, 1.5, 4)[:, None] + np.linspace(0.0, 0.3, max(dim, 1))[None, :dim]

    @jax.jit
    def values(z):
        lp = jax.vmap(problem.log_prior_z)(z)
        draws = problem.sample_prior_z(jax.random.PRNGKey(12345), 3)
        return jnp.concatenate([jnp.ravel(lp), jnp.ravel(draws)])

    return np.round(np.asarray(values(jnp.asarray(probe))), 8).tolist()


def fingerprint(problem, options: dict, chains: int, draws: int, warmup: int, key) -> str:
    """A hash of everything that determines the sampled numbers."""
    h = hashlib.sha256()
    spec = {
        "free": {k: type(v).__name__ for k, v in problem.free.items()},
        "prior": _prior_probe(problem),
        "fixed": problem.fixed,
        "datasets": [(d.name, d.n) for d in problem.datasets],
        "options": options,
        "chains": chains, "draws": draws, "warmup": warmup,
        "key": np.asarray(key).tolist(),
    }
    h.update(json.dumps(spec, sort_keys=True, default=str).encode())
    for d in problem.datasets:
        h.update(np.ascontiguousarray(d.x).tobytes())
        h.update(np.ascontiguousarray(d.y).tobytes())
        if d.sigma is not None:
            h.update(np.ascontiguousarray(d.sigma).tobytes())
    return h.hexdigest()


class Checkpoint:
    """Stage-wise checkpoint store; a no-op when ``path`` is ``None``."""

    def __init__(self, path: str | None, fp: str, *, every: int, resume: bool):
        self.path = Path(path) if path else None
        self.fp = fp
        self.every = int(every)
        self.done: dict[str, dict[str, np.ndarray]] = {}
        self.partial: dict[str, dict[str, np.ndarray]] = {}
        if self.path is not None and resume and self.path.is_file():
            self._load()

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def _load(self) -> None:
        try:
            with np.load(self.path, allow_pickle=False) as f:
                data = {k: f[k] for k in f.files}
        except (OSError, ValueError) as err:
            raise BayesfitError(
                f"checkpoint {self.path} cannot be read ({err}); delete it and run again "
                "without --resume."
            ) from None
        if str(data.get("fingerprint", "")) != self.fp:
            raise BayesfitError(
                f"checkpoint {self.path} was written by a different run (other problem, "
                "options, chains/draws/warmup or seed); resume with the same settings, or "
                "delete the file (or drop --resume) to start afresh."
            )
        for k, v in data.items():
            kind, _, rest = k.partition(_SEP)
            stage, _, name = rest.partition(_SEP)
            if kind in ("done", "part"):
                (self.done if kind == "done" else self.partial).setdefault(stage, {})[name] = v

    def _write(self) -> None:
        if self.path is None:
            return
        arrays = {"fingerprint": np.asarray(self.fp)}
        for kind, store in (("done", self.done), ("part", self.partial)):
            for stage, d in store.items():
                for k, v in d.items():
                    arrays[f"{kind}{_SEP}{stage}{_SEP}{k}"] = np.asarray(v)

        def writer(tmp: Path) -> None:
            with open(tmp, "wb") as fh:
                np.savez(fh, **arrays)

        write_atomic(self.path, writer)

    def save_partial(self, stage: str, arrays: dict[str, np.ndarray]) -> None:
        self.partial = {stage: arrays}
        self._write()

    def save_done(self, stage: str, arrays: dict[str, np.ndarray]) -> None:
        self.done[stage] = arrays
        self.partial.pop(stage, None)
        self._write()


@contextlib.contextmanager
def terminate_as_interrupt():
    """Turn SIGTERM into ``KeyboardInterrupt`` while the block runs (main thread only), so
    that the driver can write a last checkpoint; the old handler is restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)
