"""Progress reports: a bar in a terminal, one line per stage quarter when piped.

A run whose stderr is not a terminal (a pipe, a log file, a batch job) gets no bar, but it
is not silent either: :func:`bar` prints ``name: step/total, elapsed, ETA`` lines at 25, 50
and 75 % of each stage and a last ``name: done`` line, so a ten-minute job shows that it
is alive and when it will end. A stage that runs as one compiled loop (NumPyro's NUTS, a
BFGS search) cannot report from inside; :func:`stage` prints its start and its end with
the elapsed time. ``progress=False`` turns both off.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager


def progress_enabled(progress: bool | None) -> bool:
    """``None`` means: on when stderr is a terminal."""
    if progress is None:
        return sys.stderr.isatty()
    return bool(progress)


def _fmt(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


class StageLines:
    """A tqdm-like object (``update``, ``close``, context manager) that prints a few plain
    lines."""

    disable = True  # no live bar: callers print their own per-item lines

    def __init__(self, total: int, desc: str, stream=None):
        self.total, self.desc = max(int(total), 1), desc
        self.stream = stream if stream is not None else sys.stderr
        self.n = self.start_n = 0
        self.t0 = time.perf_counter()
        self.next_mark = 1

    def __enter__(self):
        return self

    def update(self, k: int) -> None:
        if self.n == 0 and k and self.next_mark == 1:  # resumed: count from here
            self.start_n = k
        self.n += int(k)
        frac = self.n / self.total
        while self.next_mark <= 3 and frac >= self.next_mark / 4 and self.n < self.total:
            done = self.n - self.start_n
            elapsed = time.perf_counter() - self.t0
            eta = elapsed / done * (self.total - self.n) if done > 0 else float("nan")
            eta_s = _fmt(eta) if eta == eta else "?"
            print(f"{self.desc}: {self.n}/{self.total} steps, {_fmt(elapsed)} elapsed, "
                  f"ETA {eta_s}", file=self.stream, flush=True)
            self.next_mark += 1

    def __exit__(self, exc_type, *_):
        if exc_type is None:
            self.close()
        return False

    def close(self) -> None:
        """Print the closing line once (tqdm's ``close``), when every step was done."""
        if self.n >= self.total and not getattr(self, "_closed", False):
            self._closed = True
            print(f"{self.desc}: done, {self.total} steps in "
                  f"{_fmt(time.perf_counter() - self.t0)}", file=self.stream, flush=True)


class _Silent:
    disable = True

    def __enter__(self):
        return self

    def update(self, k: int) -> None:
        pass

    def close(self) -> None:
        pass

    def __exit__(self, *_):
        return False


@contextmanager
def stage(desc: str, progress: bool | None, stream=None):
    """``desc: started`` and ``desc: done in <elapsed>`` lines when ``progress`` is ``None``
    and stderr is not a terminal (a terminal shows the stage's own bar, if any); silent
    otherwise."""
    if progress is not None or sys.stderr.isatty():
        yield
        return
    stream = stream if stream is not None else sys.stderr
    print(f"{desc}: started", file=stream, flush=True)
    t0 = time.perf_counter()
    yield
    print(f"{desc}: done in {_fmt(time.perf_counter() - t0)}", file=stream, flush=True)


def bar(total: int, desc: str, progress: bool | None):
    """A tqdm bar in a terminal; :class:`StageLines` when ``progress`` is ``None`` and
    stderr is not a terminal; nothing when ``progress`` is ``False``."""
    if progress_enabled(progress):
        from tqdm.auto import tqdm

        return tqdm(total=total, desc=desc, leave=False)
    if progress is None:
        return StageLines(total, desc)
    return _Silent()
