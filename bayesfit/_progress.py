"""Progress bars that switch themselves off when output is not a terminal."""

from __future__ import annotations

import sys

from tqdm.auto import tqdm


def progress_enabled(progress: bool | None) -> bool:
    """``None`` means: on when stderr is a terminal."""
    if progress is None:
        return sys.stderr.isatty()
    return bool(progress)


def bar(total: int, desc: str, progress: bool | None):
    """A tqdm bar, or a no-op bar when progress is off."""
    return tqdm(total=total, desc=desc, disable=not progress_enabled(progress), leave=False)
