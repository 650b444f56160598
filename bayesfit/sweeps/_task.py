"""One fit of a sweep, run in a worker process exactly as ``bayesfit fit`` runs it.

The fit writes into a fresh hidden folder ``<out>/.<name>.partial-<id>``; only when it has
finished is that folder renamed to ``<out>/<name>`` (one ``os.rename`` on one file system),
so a worker killed mid-fit leaves no half-written result under the fit's name, and a retry
elsewhere starts clean. Hidden partial folders of dead attempts are removed by the sweep.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import socket
import time
import traceback
import uuid
from pathlib import Path

RECORD = "sweep_task.json"
MODEL = "model.toml"
LOG = "fit.log"
#: statuses of a fit that ran to the end and wrote its result (diagnostics may have failed)
FINISHED = ("ok", "diagnostics_failed")


def _status(code: int, has_result: bool) -> str:
    if code == 0 and has_result:
        return "ok"
    if has_result:
        return "diagnostics_failed"
    if code == 2:
        return "bad_input"
    return "error"


def run_task(payload: dict) -> dict:
    """Fit one patched model file; returns the task's record (also saved with the result).

    ``payload``: ``name``, ``model_file`` (the patched TOML), ``out`` (the sweep folder),
    ``seed``, ``plots``, ``force`` (replace an existing result of that name).
    """
    from ..cli.main import main  # imported in the worker, after it has started

    out = Path(payload["out"])
    name = payload["name"]
    partial = out / f".{name}.partial-{uuid.uuid4().hex[:8]}"
    argv = ["fit", str(payload["model_file"]), "--out", str(partial),
            "--seed", str(payload["seed"]), "--no-progress"]
    if not payload.get("plots", True):
        argv.append("--no-plots")
    buf = io.StringIO()
    t0 = time.perf_counter()
    try:
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            code = int(main(argv))
    except BaseException as err:  # a bug, not bad input: record it and let the sweep go on
        code = 1
        buf.write("".join(traceback.format_exception(err)))
    wall = time.perf_counter() - t0
    log = buf.getvalue()
    has_result = (partial / "fit.nc").is_file()
    record = {
        "name": name, "status": _status(code, has_result), "exit_code": code,
        "wall_time_s": round(wall, 2), "seed": payload["seed"],
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "message": "" if code == 0 else _last_lines(log),
    }
    if not has_result:
        shutil.rmtree(partial, ignore_errors=True)
        return record
    shutil.copyfile(payload["model_file"], partial / MODEL)
    (partial / LOG).write_text(log, encoding="utf-8")
    (partial / RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
    _publish(partial, out / name, force=bool(payload.get("force")))
    return record


def _publish(partial: Path, final: Path, *, force: bool) -> None:
    """Rename the finished fit onto its name; an older result goes only with ``force``."""
    old = None
    if final.exists():
        if not force:  # another attempt finished first: keep it, drop this copy
            shutil.rmtree(partial, ignore_errors=True)
            return
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        os.rename(final, old)
    os.rename(partial, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _last_lines(text: str, n: int = 6) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return " | ".join(lines[-n:])
