"""The sweep's tables: one row per fit, and evidence rankings of fits of the same data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ._spec import Task
from ._task import FINISHED, RECORD

_FIRST = ["name", "model", "variant", "seed", "status", "exit_code", "wall_time_s", "method",
          "log_evidence", "log_evidence_err", "rhat_max", "ess_bulk_min"]


def _fit_row(folder: Path) -> dict:
    from ..results import load

    result = load(folder / "fit.nc")
    row: dict = {"method": result.tree.attrs.get("method")}
    row["log_evidence"] = result.log_evidence
    row["log_evidence_err"] = result.log_evidence_err
    if "posterior" not in result.tree.children:
        return row
    table = result.summary()
    if "r_hat" in table and table["r_hat"].notna().any():
        row["rhat_max"] = float(np.nanmax(table["r_hat"]))
    if "ess_bulk" in table and table["ess_bulk"].notna().any():
        row["ess_bulk_min"] = float(np.nanmin(table["ess_bulk"]))
    for name, r in table.iterrows():
        unit = f" [{r['units']}]" if "units" in table and r.get("units") else ""
        row[f"mean {name}{unit}"] = float(r["mean"])
        row[f"sd {name}{unit}"] = float(r["sd"])
    return row


def summary_table(tasks: list[Task], out: Path, records: dict[str, dict]):
    """One row per fit: status, wall time, diagnostics, evidence, posterior mean and sd."""
    import pandas as pd

    rows = []
    for task in tasks:
        folder = out / task.name
        rec = records.get(task.name)
        if rec is None and (folder / RECORD).is_file():  # finished in an earlier run
            rec = json.loads((folder / RECORD).read_text(encoding="utf-8"))
            rec["status"] = rec.get("status", "ok")
            rec["message"] = "done earlier (skipped); " + rec.get("message", "")
        rec = dict(rec or {"status": "missing"})
        row = {"name": task.name, "model": task.model.name, "variant": task.variant,
               "seed": task.seed, "status": rec.get("status"),
               "exit_code": rec.get("exit_code"), "wall_time_s": rec.get("wall_time_s")}
        if rec.get("status") in FINISHED and (folder / "fit.nc").is_file():
            row.update(_fit_row(folder))
        row["message"] = rec.get("message", "")
        rows.append(row)
    frame = pd.DataFrame(rows)
    first = [c for c in _FIRST if c in frame]
    return frame[first + [c for c in frame if c not in first]]


def rankings(tasks: list[Task], out: Path, table) -> dict:
    """For every set of fits of the same data (two or more with results): the evidence
    and PSIS-LOO ranking of :func:`bayesfit.compare`, best first."""
    from ..results import compare

    groups: dict[str, list[Task]] = {}
    done = set(table.loc[table["status"].isin(FINISHED), "name"])
    for task in tasks:
        if task.name in done:
            groups.setdefault(task.data_key, []).append(task)
    ranks = {}
    for key, members in groups.items():
        if len(members) < 2:
            continue
        frame = compare({t.name: out / t.name / "fit.nc" for t in members})
        by = "log_evidence" if frame["log_evidence"].notna().any() else "elpd_loo"
        ranks[key] = frame.sort_values(by, ascending=False, na_position="last")
    return ranks


