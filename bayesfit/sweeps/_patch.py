"""Model-file variants: a patch of dotted paths applied to the parsed TOML document.

A variant says what differs from the base model file, one dotted path per change::

    "parameters.J2" = { value = 0.0, units = "meV" }     # fix (or add) a parameter
    "kernel.bonds" = { J1 = [[0, 1]], J2 = [[1, 2]] }     # another bond placement
    "inference.options.replicas" = 12                     # method settings
    "datasets.chi.sigma" = 1e-4                            # one dataset's key

Each path replaces the value it names (no merging below it). The first part must be
``title``, ``kernel``, ``parameters``, ``datasets`` or ``inference``; under ``datasets`` the
second part is a dataset name. ``drop_datasets`` and ``remove_parameters`` take datasets and
parameters out. The patched document is validated by the model-file loader like any model
file, so an impossible variant is refused before any fit starts.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import ModelFileError

_ROOTS = ("title", "description", "kernel", "parameters", "datasets", "inference")


def _dataset(doc: dict, name: str, where: str) -> dict:
    for entry in doc.get("datasets", []):
        if isinstance(entry, dict) and entry.get("name") == name:
            return entry
    names = [e.get("name") for e in doc.get("datasets", []) if isinstance(e, dict)]
    raise ModelFileError(f"{where}: no dataset named {name!r} in the model file; it has "
                         f"{names}.")


def set_path(doc: dict, path: str, value: Any, where: str) -> None:
    """Replace the value at dotted ``path`` of ``doc`` (in place)."""
    parts = path.split(".")
    if parts[0] not in _ROOTS or any(not p for p in parts):
        raise ModelFileError(f"{where}: cannot set {path!r}: a path starts with one of "
                             f"{list(_ROOTS)} and has no empty parts, e.g. "
                             "\"parameters.J2\" or \"inference.options.replicas\".")
    if parts[0] == "datasets":
        if len(parts) < 3:
            raise ModelFileError(f"{where}: cannot set {path!r}: write "
                                 "\"datasets.<name>.<key>\" (drop a dataset with "
                                 "drop_datasets = [...]).")
        node = _dataset(doc, parts[1], where)
        parts = parts[2:]
    else:
        node = doc
    for i, part in enumerate(parts[:-1]):
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        if not isinstance(child, dict):
            raise ModelFileError(f"{where}: cannot set {path!r}: "
                                 f"{'.'.join(parts[: i + 1])!r} is not a table.")
        node = child
    node[parts[-1]] = copy.deepcopy(value)


def apply_patch(doc: Mapping, changes: Mapping[str, Any], *, drop_datasets: Sequence[str] = (),
                remove_parameters: Sequence[str] = (), where: str) -> dict:
    """A patched deep copy of a model-file document."""
    out = copy.deepcopy(dict(doc))
    for name in drop_datasets:
        _dataset(out, name, where)
        out["datasets"] = [e for e in out["datasets"] if e.get("name") != name]
    params = out.get("parameters", {})
    for name in remove_parameters:
        if name not in params:
            raise ModelFileError(f"{where}: remove_parameters names {name!r}, which the model "
                                 f"file does not declare; it has {sorted(params)}.")
        del params[name]
    for path, value in changes.items():
        set_path(out, path, value, where)
    return out


def absolute_files(doc: dict, base: Path) -> dict:
    """Dataset ``file`` paths made absolute, so the patched file works from any folder."""
    for entry in doc.get("datasets", []):
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            entry["file"] = str((base / entry["file"]).resolve())
    return doc
