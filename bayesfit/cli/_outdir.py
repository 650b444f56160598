"""The output folder of ``bayesfit fit``: checked before anything is fitted.

A folder is accepted when it is new (or empty), when it holds the checkpoint of the run
being resumed (``--resume``), or when ``--force`` says that its contents may be replaced.
Otherwise an earlier result would be overwritten: exit 2 before the fit, naming the
folder and what it holds. The folder must also be writable: a probe file is created and
removed, so that a permission problem stops the command at once and not after a
ten-minute fit.
"""

from __future__ import annotations

from pathlib import Path

from .._atomic import probe_writable
from ..errors import BayesfitError

CHECKPOINT = "checkpoint.npz"


def check_output_folder(out: Path, *, resume: bool, force: bool, command: str) -> None:
    """Raise :class:`BayesfitError` unless ``out`` may receive this run's files."""
    if out.exists() and not out.is_dir():
        raise BayesfitError(f"--out {out}: exists and is not a folder; give a folder path.")
    held = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
    if resume:
        if CHECKPOINT not in held:
            raise BayesfitError(
                f"--resume: {out} holds no {CHECKPOINT}, so there is no interrupted run to "
                f"continue; run `{command}` without --resume (add --force to replace what "
                "the folder holds).")
    elif held and not force:
        what = "an earlier fit (fit.nc)" if "fit.nc" in held else (
            f"the checkpoint of an interrupted run ({CHECKPOINT})" if CHECKPOINT in held
            else f"{len(held)} file(s) ({', '.join(held[:3])}{', ...' if len(held) > 3 else ''})")
        hint = " or add --resume to continue it" if CHECKPOINT in held else ""
        raise BayesfitError(
            f"--out {out} already holds {what}; nothing was fitted. Choose another --out, "
            f"add --force to overwrite it{hint}.")
    try:
        probe_writable(out)
    except OSError as err:
        raise BayesfitError(
            f"--out {out}: cannot write there ({err.strerror or err}); choose a folder you "
            "can write to. Nothing was fitted.") from None
