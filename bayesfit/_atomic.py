"""Atomic file writes: a reader never sees a half-written file.

The one writer used by io (data files), results (fit.nc, report CSVs), REMC checkpoints
and the EBM comparison trees; and the one writability probe of an output folder (the
CLI's ``--out``, a sweep's folder), run before any work. It sits at the bottom of the
package (imports nothing from bayesfit), so every layer can use it without reaching into
another.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomic(path: str | os.PathLike, writer: Callable[[Path], None]) -> Path:
    """Call ``writer(tmp_path)`` then rename the temporary file onto ``path``.

    The temporary file lives in the same folder (same file system), so ``os.replace`` is
    atomic: an interrupted run leaves either the old file or the new one, never a torn one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    try:
        writer(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        umask = os.umask(0)  # mkstemp creates 0600; give the file the usual permissions
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return path


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Atomically write ``text`` to ``path``."""
    return write_atomic(path, lambda p: p.write_text(text))


def probe_writable(folder: str | os.PathLike) -> None:
    """Create ``folder`` (and its parents) if needed, then create and remove a probe file
    in it, so that a permission problem shows before any work; raises ``OSError`` (the
    caller says which option or folder it was and what to do)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=".bayesfit-probe-", dir=folder)
    os.close(fd)
    os.unlink(probe)
