"""Model files (TOML): kernel, parameters with priors, datasets, inference settings.

See ``bayesfit/io/README.md`` for the format. :func:`load_model` validates everything it
can before any data are read or any sampler runs, and every error names the file and,
where it can, the line.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import Dataset, Problem
from ..core._order import check_order
from ..errors import BayesfitError, DataFileError, ModelFileError
from ..kernels import ForwardModel, build_kernel
from ..units import check_unit
from ._covariance import read_covariance
from ._csv import MAX_ABS, read_table
from ._mpms import Sample, read_mpms
from ._priors import parse_parameter

_TOP = {"title", "description", "kernel", "parameters", "datasets", "inference"}
_CORE_DATASET_KEYS = {"name", "file", "x", "y", "sigma", "simulate", "mpms", "covariance",
                      "jitter"}
_INFERENCE_KEYS = {"method", "chains", "draws", "warmup", "seed", "options"}
_SIMULATE_KEYS = {"x", "noise", "noise_rel"}
_SIMULATE_GRID_KEYS = {"start", "stop", "num", "spacing"}


@dataclass
class DatasetSpec:
    """One ``[[datasets]]`` entry, before or after its data are read."""

    name: str
    model: ForwardModel
    file: Path | None
    x: str
    y: str
    sigma: float | str | None
    simulate: dict[str, Any]
    where: str
    mpms: dict[str, Any] | None = None
    covariance: Path | None = None
    jitter: bool = False

    def read(self):
        """The data file as a Table (CSV, or an MPMS .dat export when ``mpms`` is set)."""
        if self.mpms is None:
            return read_table(self.file)
        try:
            sample = Sample(**self.mpms)
        except TypeError as err:
            raise ModelFileError(f"{self.where}: dataset {self.name!r}: mpms = {{...}} takes "
                                 "mass_mg, molar_mass_g_per_mol, diamagnetic_emu_per_mol, "
                                 f"moment_column ({err}).") from None
        return read_mpms(self.file, sample)


@dataclass
class InferenceSpec:
    """``[inference]``: the method and its run settings. ``options`` belong to ``method``;
    ``per_method`` holds the ``[inference.<name>]`` tables, the options of other methods
    when the file is fitted with ``--method <name>``."""

    method: str = "nuts"
    options: dict[str, Any] = field(default_factory=dict)
    chains: int = 4
    draws: int = 1000
    warmup: int = 1000
    seed: int = 0
    per_method: dict[str, dict[str, Any]] = field(default_factory=dict)

    def options_for(self, name: str) -> dict[str, Any]:
        """The options of method ``name``: ``[inference.options]`` if ``name`` is the
        file's method, updated by the table ``[inference.<name>]`` if there is one."""
        base = dict(self.options) if name == self.method else {}
        return base | dict(self.per_method.get(name, {}))


@dataclass
class ModelSpec:
    """A parsed model file."""

    path: Path
    title: str
    kernel: Any
    parameters: dict[str, Any]
    units: dict[str, str]
    init: dict[str, Any]
    datasets: list[DatasetSpec]
    inference: InferenceSpec
    order: tuple = ()
    symmetries: list = field(default_factory=list)

    def dataset(self, name: str) -> DatasetSpec:
        for d in self.datasets:
            if d.name == name:
                return d
        raise BayesfitError(f"{self.path}: no dataset named {name!r}; have "
                            f"{[d.name for d in self.datasets]}.")

    def read_datasets(self) -> list[Dataset]:
        """Read every dataset's file into a :class:`Dataset`."""
        out = []
        for d in self.datasets:
            if d.file is None:
                raise ModelFileError(f"{d.where}: dataset {d.name!r} has no 'file' to fit; "
                                     "make one with `bayesfit simulate` or set file = \"...\".")
            table = d.read()
            x = table.column(d.x, what="x column")
            y = table.column(d.y, what="y column")
            sigma = d.sigma
            if isinstance(sigma, str):
                sigma = table.column(sigma, what="sigma column")
            units = {"x": d.model.x_units or table.units.get(d.x, ""),
                     "y": d.model.y_units or table.units.get(d.y, "")}
            cov = None
            if d.covariance is not None:
                cov = read_covariance(d.covariance, x, y_name=d.y, where=d.where)
            ds = Dataset(x, y, sigma=sigma, model=d.model.fn, name=d.name, units=units,
                         where=str(d.file), x_name=d.x, cov=cov, jitter=d.jitter,
                         model_sd=getattr(d.model, "sd", None),
                         adaptive_cost=getattr(d.model, "adaptive_cost", False))
            _check_with_kernel(d, ds, table)
            out.append(ds)
        return out

    def problem(self) -> Problem:
        """The :class:`Problem` of this model file with its data."""
        return Problem(self.parameters, self.read_datasets(), units=self.units, init=self.init,
                       name=self.title, order=self.order, symmetries=self.symmetries)


def _check_parameter_names(kernel, params: dict, entries, path: Path, text: str) -> None:
    """Declared parameters against the kernel's ``parameter_names()`` (when it has one):
    a typo is reported at its own line with the closest valid name."""
    if not hasattr(kernel, "parameter_names"):
        return
    required, optional = kernel.parameter_names()
    noise = {f"sigma_{e.get('name', f'data{i}')}" for i, e in enumerate(entries)
             if isinstance(e, dict)}
    known = [*required, *optional]
    for name in params:
        if name not in known and name not in noise:
            close = difflib.get_close_matches(name, known + sorted(noise), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ModelFileError(
                f"{_where(path, text, rf'^\s*{re.escape(name)}\s*=')}: parameter {name!r} is "
                f"not used by the kernel; {hint}it takes {required} (required), {optional} "
                "(optional) and sigma_<dataset> (noise levels).")
    missing = [n for n in required if n not in params]
    if missing:
        raise ModelFileError(
            f"{_where(path, text, r'^\s*\[parameters\]')}: [parameters] lacks {missing}, "
            f"which the kernel needs (it takes {required}); give each a prior or a value.")


def _check_expression_parameters(datasets, params: dict, path: Path, text: str) -> None:
    """A parameter that a dataset's expression reads must be declared: reported at the
    expression's line, with the closest declared name."""
    for d in datasets:
        used = getattr(d.model.fn, "parameters", None)
        missing = sorted(n for n in (used or ()) if n not in params)
        if not missing:
            continue
        n = missing[0]
        where = _where(path, text, rf"^\s*expression\s*=.*\b{re.escape(n)}\b")
        close = difflib.get_close_matches(n, sorted(params), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ModelFileError(
            f"{where}: dataset {d.name!r}: the expression uses parameter {n!r}, which "
            f"[parameters] does not define; {hint}declare it with a prior or a value "
            f"(defined: {sorted(params)}).")


def _check_with_kernel(d: DatasetSpec, ds: Dataset, table) -> None:
    """The kernel's physical checks of the data (``ForwardModel.validate``), reported with
    the file line of the first bad rows."""
    if d.model.validate is None:
        return
    problems = list(d.model.validate(ds))
    if not problems:
        return
    shown = []
    for row, msg in problems[:3]:
        line = table.line(row) if row is not None and table.lines is not None else None
        shown.append(f"{d.file}:{line}: {msg}" if line else f"{d.file}: {msg}")
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    raise DataFileError(f"dataset {d.name!r} ({d.where}): " + "; ".join(shown) + more + ".")


def _line_of(text: str, pattern: str) -> int | None:
    rx = re.compile(pattern)
    for i, line in enumerate(text.splitlines(), start=1):
        if rx.search(line):
            return i
    return None


def _where(path: Path, text: str, pattern: str | None = None) -> str:
    line = _line_of(text, pattern) if pattern else None
    return f"{path}:{line}" if line else str(path)


def _parse_inference(tbl: Any, path: Path, text: str) -> InferenceSpec:
    if not isinstance(tbl, dict):
        raise ModelFileError(f"{path}: [inference] must be a table.")
    where = _where(path, text, r"^\s*\[inference\]")
    # tables other than [inference.options] are the options of other methods
    per_method = {k: dict(v) for k, v in tbl.items()
                  if k not in _INFERENCE_KEYS and isinstance(v, dict)}
    unknown = set(tbl) - _INFERENCE_KEYS - set(per_method)
    if unknown:
        raise ModelFileError(f"{where}: unknown [inference] keys {sorted(unknown)}; allowed: "
                             f"{sorted(_INFERENCE_KEYS)}, and tables [inference.<method>] "
                             "with the options of another method (used with --method).")
    spec = InferenceSpec(per_method=per_method)
    for k in ("chains", "draws", "warmup", "seed"):
        if k in tbl:
            v = tbl[k]
            low = 0 if k in ("warmup", "seed") else 1
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                kind = "non-negative" if low == 0 else "positive"
                raise ModelFileError(f"{where}: [inference] {k} = {v!r} must be a {kind} integer.")
            setattr(spec, k, v)
    spec.method = str(tbl.get("method", spec.method))
    spec.options = dict(tbl.get("options", {}))
    return spec


def _parse_dataset(entry: Any, i: int, kernel, path: Path, text: str) -> DatasetSpec:
    if not isinstance(entry, dict):
        raise ModelFileError(f"{path}: [[datasets]] entry {i + 1} must be a table.")
    name = entry.get("name", f"data{i}")
    where = _where(path, text, rf"^\s*name\s*=\s*[\"']{re.escape(str(name))}[\"']")
    if not isinstance(name, str) or not name.isidentifier():
        raise ModelFileError(f"{where}: dataset name {name!r} must be an identifier.")
    for key in ("x", "y"):
        if "file" in entry and not isinstance(entry.get(key), str):
            raise ModelFileError(f"{where}: dataset {name!r} needs {key} = \"<column name>\".")
    sigma = entry.get("sigma")
    if sigma is not None and (isinstance(sigma, bool) or not isinstance(sigma, int | float | str)):
        raise ModelFileError(f"{where}: dataset {name!r}: sigma must be a number (known noise), "
                             "a column name, or omitted (noise estimated).")
    if isinstance(sigma, int | float) and not 0 < sigma <= MAX_ABS:
        raise ModelFileError(f"{where}: dataset {name!r}: sigma = {sigma} must be > 0 and "
                             f"<= {MAX_ABS:g} (the noise sd in the units of y).")
    for key in ("x_units", "y_units"):
        if key in entry:
            check_unit(entry[key], what=f"{where}: dataset {name!r} {key}")
    options = {k: v for k, v in entry.items() if k not in _CORE_DATASET_KEYS}
    model = kernel.dataset_model(options, where=f"{where}: dataset {name!r}")
    file = (path.parent / entry["file"]).resolve() if "file" in entry else None
    sim = entry.get("simulate", {})
    if not isinstance(sim, dict):
        raise ModelFileError(f"{where}: dataset {name!r}: simulate must be a table.")
    grid = sim.get("x")
    unknown = sorted(set(sim) - _SIMULATE_KEYS) + sorted(
        f"x.{k}" for k in (set(grid) - _SIMULATE_GRID_KEYS if isinstance(grid, dict) else ()))
    if unknown:
        raise ModelFileError(f"{where}: dataset {name!r}: unknown simulate keys {unknown}; it "
                             f"takes {sorted(_SIMULATE_KEYS)} and x = {{ start, stop, num, "
                             "spacing }} (docs/model-files.md).")
    mpms = entry.get("mpms")
    if mpms is not None and not isinstance(mpms, dict):
        raise ModelFileError(f"{where}: dataset {name!r}: mpms must be a table.")
    covariance = entry.get("covariance")
    if covariance is not None and not isinstance(covariance, str):
        raise ModelFileError(f"{where}: dataset {name!r}: covariance must be a file name.")
    if covariance is not None and sigma is not None:
        raise ModelFileError(f"{where}: dataset {name!r}: give sigma or covariance, not both.")
    jitter = entry.get("jitter", False)
    if not isinstance(jitter, bool) or (jitter and covariance is None):
        raise ModelFileError(f"{where}: dataset {name!r}: jitter = true|false, and only with "
                             "a covariance file.")
    return DatasetSpec(name, model, file, entry.get("x", "x"), entry.get("y", "y"),
                       float(sigma) if isinstance(sigma, int | float) else sigma, sim, where,
                       mpms, (path.parent / covariance).resolve() if covariance else None,
                       jitter)


def load_model(path: str | Path) -> ModelSpec:
    """Parse and validate a model file (does not read the data files yet)."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: model file not found.")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ModelFileError(f"{path}: not a UTF-8 text file (byte at offset {err.start}); a "
                             "model file is TOML text, see docs/model-files.md.") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ModelFileError(f"{path}: not valid TOML: {err}.") from None
    unknown = set(doc) - _TOP
    if unknown:
        raise ModelFileError(f"{path}: unknown top-level keys {sorted(unknown)}; allowed: "
                             f"{sorted(_TOP)}.")
    if "kernel" not in doc:
        raise ModelFileError(f"{path}: missing [kernel] table (with name = \"...\").")
    kernel = build_kernel(doc["kernel"], where=_where(path, text, r"^\s*\[kernel\]"))
    params, units, init = {}, {}, {}
    table = dict(doc.get("parameters", {}))
    order_where = _where(path, text, r"^\s*order\s*=")
    order = _parse_order(table.pop("order", None), order_where)
    for name, spec in table.items():
        where = _where(path, text, rf"^\s*{re.escape(name)}\s*=")
        prior, unit, start = parse_parameter(name, spec, where)
        params[name], units[name] = prior, unit
        if start is not None:
            init[name] = start
    if not params:
        raise ModelFileError(f"{path}: no [parameters]; declare at least one.")
    _check_parameter_names(kernel, params, doc.get("datasets", []), path, text)
    entries = doc.get("datasets", [])
    if not isinstance(entries, list) or not entries:
        raise ModelFileError(f"{path}: no [[datasets]]; declare at least one.")
    datasets = [_parse_dataset(e, i, kernel, path, text) for i, e in enumerate(entries)]
    _check_expression_parameters(datasets, params, path, text)
    names = [d.name for d in datasets]
    if len(set(names)) != len(names):
        raise ModelFileError(f"{path}: dataset names must be unique, got {names}.")
    inference = _parse_inference(doc.get("inference", {}), path, text)
    free = {k: v for k, v in params.items() if not isinstance(v, float)}
    try:
        check_order(order, free, {k: tuple(v.batch_shape) + tuple(v.event_shape)
                                  for k, v in free.items()})
    except BayesfitError as err:
        raise ModelFileError(f"{order_where}: {err}") from None
    symmetries = kernel.symmetries() if hasattr(kernel, "symmetries") else []
    return ModelSpec(path, str(doc.get("title", path.stem)), kernel, params, units, init,
                     datasets, inference, order, symmetries)


def _parse_order(value: Any, where: str) -> tuple:
    """``order = ["J_a", "J_b"]`` (J_a <= J_b) or a list of such lists -> chains."""
    if value is None:
        return ()
    ok = isinstance(value, list) and value and (
        all(isinstance(v, str) for v in value)
        or all(isinstance(c, list) and all(isinstance(v, str) for v in c) for c in value))
    if not ok:
        raise ModelFileError(
            f"{where}: order = {value!r} must be a list of parameter names such as "
            "[\"J_a\", \"J_b\"] (meaning J_a <= J_b), or a list of such lists.")
    chains = [value] if isinstance(value[0], str) else value
    for c in chains:
        if len(c) < 2:
            raise ModelFileError(f"{where}: order {c!r} needs at least two names.")
    return tuple(tuple(c) for c in chains)
