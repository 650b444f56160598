"""Run a sweep: check every fit first, skip finished ones, run the rest as Dask tasks."""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from .._atomic import probe_writable
from .._progress import bar
from ..errors import BayesfitError
from ..io import load_model
from ..results import write_text_atomic
from ._cluster import check_connect_timeout, dask_client
from ._spec import SweepSpec, Task, load_sweep
from ._summary import rankings, summary_table
from ._task import FINISHED, MODEL, RECORD, run_task


@dataclass
class SweepResult:
    """What a sweep produced: one row per fit, and evidence rankings per shared data."""

    out: Path
    table: object  # pandas.DataFrame
    rankings: dict = field(default_factory=dict)  # data group -> pandas.DataFrame

    @property
    def ok(self) -> bool:
        return bool((self.table["status"] == "ok").all())


def _writable(out: Path) -> None:
    try:
        probe_writable(out)
    except OSError as err:
        raise BayesfitError(f"output folder {out}: cannot write there ({err.strerror}); "
                            "give another folder (--out).") from None


def _model_text(task: Task) -> str:
    return tomli_w.dumps(task.doc)


def _state(task: Task, out: Path, text: str) -> str:
    """'todo', 'done' (complete and valid, same model file) or 'stale' (model changed)."""
    folder = out / task.name
    if not folder.exists():
        return "todo"
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        import xarray as xr

        xr.open_datatree(folder / "fit.nc").close()
    except (OSError, ValueError, KeyError):
        return "stale"
    if (folder / MODEL).read_text(encoding="utf-8") != text:
        return "stale"
    return "done" if record.get("status") in FINISHED else "stale"


def _check(task: Task, path: Path) -> None:
    """Parse the patched model file and read its data, as `bayesfit fit` would first."""
    try:
        load_model(path).problem()
    except BayesfitError as err:
        raise BayesfitError(f"fit {task.name} (variant {task.variant!r} of "
                            f"{task.model.name}): {err}") from None


def sweep(spec: SweepSpec | str | os.PathLike, *, scheduler=None, workers: int | None = None,
          out: str | os.PathLike | None = None, force: bool = False,
          progress: bool | None = None, connect_timeout: float = 10.0) -> SweepResult:
    """Run every fit of a sweep on Dask; return the summary table and evidence rankings.

    Parameters
    ----------
    spec:
        A sweep file (TOML, :func:`load_sweep`) or a :class:`SweepSpec`.
    scheduler:
        ``None`` for an embedded local cluster, or a scheduler address, cluster or client.
    workers:
        Worker processes of the embedded cluster (default: ``min(cores, fits to run)``).
    out:
        Folder of the results (default: the sweep file's ``out``, else
        ``results/<sweep file stem>``); each fit gets ``<out>/<fit name>/``.
    force:
        Rerun and replace fits that already have a result; without it finished fits are
        skipped and a result whose model file has changed is reported, not replaced.
    connect_timeout:
        Seconds to wait for the scheduler at a ``scheduler`` address to answer.
    """
    check_connect_timeout(connect_timeout)  # before anything is read or written
    if not isinstance(spec, SweepSpec):
        spec = load_sweep(spec)
    stem = spec.path.stem if spec.path else "sweep"
    out = Path(out) if out is not None else (spec.out or Path("results") / stem)
    _writable(out)
    tasks = spec.tasks()
    models = out / ".models"
    states, payloads = {}, []
    for task in tasks:  # everything is checked before the first fit starts
        text = _model_text(task)
        path = models / f"{task.name}.toml"
        write_text_atomic(path, text)
        _check(task, path)
        states[task.name] = "todo" if force else _state(task, out, text)
        if states[task.name] == "todo":
            payloads.append({"name": task.name, "model_file": str(path), "out": str(out),
                             "seed": task.seed, "plots": spec.plots, "force": force})
    for stale in out.glob(".*.partial-*"):  # attempts of earlier, interrupted runs
        shutil.rmtree(stale, ignore_errors=True)
    skipped = sum(s == "done" for s in states.values())
    print(f"bayesfit sweep: {spec.title}: {len(tasks)} fits, {len(payloads)} to run, "
          f"{skipped} already done, results in {out}/")
    records: dict[str, dict] = {}
    t0 = time.perf_counter()
    if payloads:
        records = _run_all(payloads, scheduler, workers, progress, connect_timeout)
    for name, state in states.items():
        if state == "stale":
            records[name] = {"name": name, "status": "stale", "message": (
                "an earlier result with another model file (or no valid fit.nc) is in the "
                "way; rerun with --force to replace it")}
    table = summary_table(tasks, out, records)
    ranks = rankings(tasks, out, table)
    write_text_atomic(out / "sweep_summary.csv", table.to_csv(index=False))
    for i, (key, frame) in enumerate(ranks.items()):
        name = "ranking.csv" if len(ranks) == 1 else f"ranking_{i + 1}.csv"
        write_text_atomic(out / name, f"# data: {key}\n" + frame.to_csv())
    print(f"sweep finished in {time.perf_counter() - t0:.1f} s")
    return SweepResult(out, table, ranks)


def _run_all(payloads: list[dict], scheduler, workers, progress,
             connect_timeout: float) -> dict[str, dict]:
    from distributed import as_completed

    records = {}
    with dask_client(scheduler, workers=workers, n_tasks=len(payloads),
                     connect_timeout=connect_timeout) as client:
        link = getattr(client, "dashboard_link", None)
        if link and scheduler is None:
            from ._cluster import _has_dashboard

            if _has_dashboard():
                print(f"Dask dashboard: {link}")
        futures = {}
        for p in payloads:
            key = f"bayesfit-fit-{p['name']}-{uuid.uuid4().hex[:8]}"
            futures[client.submit(run_task, p, key=key, pure=False)] = p
        with bar(len(futures), "fits", progress) as pbar:
            for fut in as_completed(futures):
                p = futures[fut]
                try:
                    rec = fut.result()
                except Exception as err:  # e.g. KilledWorker: the fit killed every worker
                    rec = {"name": p["name"], "status": "error", "exit_code": None,
                           "message": f"{type(err).__name__}: {err}"}
                records[p["name"]] = rec
                pbar.update(1)
                if not getattr(pbar, "disable", True):  # a live tqdm bar shows it
                    continue
                print(f"  {rec['name']}: {rec['status']} ({rec.get('wall_time_s', '-')} s)",
                      flush=True)
    return records
