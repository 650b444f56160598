"""Sweep files (TOML): which fits to run, as model files x variants x seeds.

::

    [sweep]
    title = "KCu4P3O12: candidate bond placements"
    models = ["kcu4p3o12.toml"]          # relative to this file
    seeds = [2020]                       # default: each model file's [inference] seed
    out = "../results/geometries"        # default: results/<sweep file stem>
    plots = false                        # figures of every fit (default true)
    [sweep.set]                          # changes applied to every fit
    "inference.options.replicas" = 12

    [[variants]]                         # default: one variant "base", the model as it is
    name = "published"
    [[variants]]
    name = "J2_zero"
    description = "no J2 bond"
    set = { "parameters.J2" = { value = 0.0, units = "meV" } }
    drop_datasets = []                   # datasets left out
    remove_parameters = []               # parameters taken out

Every fit is named ``<model stem>__<variant>__seed<seed>`` and is exactly the fit that
``bayesfit fit`` runs on the patched model file written beside the result
(:mod:`bayesfit.sweeps._patch` explains the dotted paths).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ModelFileError
from ._patch import absolute_files, apply_patch

_SWEEP_KEYS = {"title", "models", "seeds", "out", "plots", "set"}
_VARIANT_KEYS = {"name", "description", "set", "drop_datasets", "remove_parameters"}


@dataclass(frozen=True)
class Variant:
    """One way of changing the model files (see the module docstring)."""

    name: str = "base"
    description: str = ""
    changes: dict[str, Any] = field(default_factory=dict)
    drop_datasets: tuple[str, ...] = ()
    remove_parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Task:
    """One fit of a sweep: the patched model-file document and its seed."""

    name: str
    model: Path
    variant: str
    seed: int
    doc: dict

    @property
    def data_key(self) -> str:
        """Fits with the same key saw the same data: their evidences can be compared."""
        parts = []
        for e in self.doc.get("datasets", []):
            parts.append(f"{e.get('name')}={e.get('file')}[{e.get('x')},{e.get('y')}]")
        return ";".join(sorted(parts))


@dataclass(frozen=True)
class SweepSpec:
    """A parsed sweep file (or the same built in Python)."""

    path: Path | None
    title: str
    models: tuple[Path, ...]
    variants: tuple[Variant, ...] = (Variant(),)
    seeds: tuple[int, ...] | None = None
    out: Path | None = None
    plots: bool = True
    common: dict[str, Any] = field(default_factory=dict)

    def tasks(self) -> list[Task]:
        """Every fit of the sweep, validated as far as the TOML goes (no data read yet)."""
        out = []
        for model in self.models:
            doc = _read_toml(model)
            seeds = self.seeds
            if seeds is None:
                seeds = (int(doc.get("inference", {}).get("seed", 0)),)
            for v in self.variants:
                where = f"{self.path or 'sweep'}: variant {v.name!r} of {model.name}"
                patched = apply_patch(doc, {**self.common, **v.changes},
                                      drop_datasets=v.drop_datasets,
                                      remove_parameters=v.remove_parameters, where=where)
                absolute_files(patched, model.parent)
                for seed in seeds:
                    name = f"{model.stem}__{v.name}__seed{seed}"
                    out.append(Task(name, model, v.name, int(seed), patched))
        names = [t.name for t in out]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ModelFileError(f"{self.path or 'sweep'}: fits {dup} appear twice (the same "
                                 "model file, variant name and seed); give them distinct names.")
        return out


def _read_toml(path: Path) -> dict:
    if not path.is_file():
        raise ModelFileError(f"{path}: model file not found.")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ModelFileError(f"{path}: not a valid TOML model file: {err}.") from None


def _line(text: str, pattern: str) -> str:
    rx = re.compile(pattern)
    for i, line in enumerate(text.splitlines(), start=1):
        if rx.search(line):
            return f":{i}"
    return ""


def _strings(value: Any, what: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ModelFileError(f"{where}: {what} must be a list of strings, got {value!r}.")
    return tuple(value)


def _changes(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ModelFileError(f"{where}: set must be a table of \"dotted.path\" = value.")
    return dict(value)


def load_sweep(path: str | Path) -> SweepSpec:
    """Parse and check a sweep file; model files are resolved relative to it."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: sweep file not found.")
    try:
        text = path.read_text(encoding="utf-8")
        doc = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ModelFileError(f"{path}: not a valid TOML sweep file: {err}.") from None
    unknown = set(doc) - {"sweep", "variants"}
    if unknown:
        raise ModelFileError(f"{path}: unknown top-level keys {sorted(unknown)}; a sweep file "
                             "has [sweep] and [[variants]].")
    head = doc.get("sweep")
    where = f"{path}{_line(text, r'^\s*\[sweep\]')}"
    if not isinstance(head, dict):
        raise ModelFileError(f"{path}: missing [sweep] table with models = [\"...toml\"].")
    unknown = set(head) - _SWEEP_KEYS
    if unknown:
        raise ModelFileError(f"{where}: unknown [sweep] keys {sorted(unknown)}; allowed: "
                             f"{sorted(_SWEEP_KEYS)}.")
    models = _strings(head.get("models"), "models", where)
    if not models:
        raise ModelFileError(f"{where}: models = [...] names no model file.")
    model_paths = tuple((path.parent / m).resolve() for m in models)
    for m, p in zip(models, model_paths, strict=True):
        if not p.is_file():
            raise ModelFileError(f"{path}{_line(text, re.escape(m))}: model file {m!r} not "
                                 f"found (looked for {p}); paths are relative to the sweep "
                                 "file.")
    seeds = head.get("seeds")
    if seeds is not None:
        ok = isinstance(seeds, list) and seeds and all(
            isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in seeds)
        if not ok:
            raise ModelFileError(f"{where}: seeds = {seeds!r} must be a non-empty list of "
                                 "non-negative integers.")
        seeds = tuple(seeds)
    plots = head.get("plots", True)
    if not isinstance(plots, bool):
        raise ModelFileError(f"{where}: plots = {plots!r} must be true or false.")
    out = head.get("out")
    if out is not None and not isinstance(out, str):
        raise ModelFileError(f"{where}: out = {out!r} must be a folder path (string).")
    variants = []
    for i, v in enumerate(doc.get("variants", [])):
        if not isinstance(v, dict):
            raise ModelFileError(f"{path}: [[variants]] entry {i + 1} must be a table.")
        name = v.get("name", f"v{i}")
        vwhere = f"{path}{_line(text, rf'^\s*name\s*=\s*[\"\']{re.escape(str(name))}[\"\']')}"
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
            raise ModelFileError(f"{vwhere}: variant name {name!r} must be letters, digits, "
                                 "'_', '-' or '.' (it names a folder).")
        unknown = set(v) - _VARIANT_KEYS
        if unknown:
            raise ModelFileError(f"{vwhere}: variant {name!r}: unknown keys {sorted(unknown)}; "
                                 f"allowed: {sorted(_VARIANT_KEYS)}.")
        variants.append(Variant(
            name, str(v.get("description", "")), _changes(v.get("set", {}), vwhere),
            _strings(v.get("drop_datasets", []), "drop_datasets", vwhere),
            _strings(v.get("remove_parameters", []), "remove_parameters", vwhere)))
    names = [v.name for v in variants]
    if len(set(names)) != len(names):
        raise ModelFileError(f"{path}: variant names must be unique, got {names}.")
    spec = SweepSpec(
        path=path, title=str(head.get("title", path.stem)), models=model_paths,
        variants=tuple(variants) or (Variant(),), seeds=seeds,
        out=(path.parent / out).resolve() if out else None, plots=plots,
        common=_changes(head.get("set", {}), where))
    spec.tasks()  # every patch applies
    return spec
