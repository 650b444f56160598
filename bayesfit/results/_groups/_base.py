"""The contract of a typed result group and the registry of group schemas.

Every method group of a result tree (``noise``, ``evidence``, ``ladder``, ``map``,
``emcee``, ``predictions``, ...) has one small frozen dataclass here with
``to_dataset()`` (what is written to the tree) and ``from_dataset(ds)`` (what is read
back). Names of datasets, parameters or coordinates are data (coordinates), never parsed
from variable names or comma-joined attributes; units travel inside the dataset. A
result loaded from ``fit.nc`` therefore gives the same objects as a fresh fit. How to
add a group: ``README.md`` in this folder.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np
import xarray as xr


@runtime_checkable
class Group(Protocol):
    """A typed result group: ``name`` is its place in the tree."""

    name: ClassVar[str]

    def to_dataset(self) -> xr.Dataset: ...

    @classmethod
    def from_dataset(cls, ds: xr.Dataset) -> Any: ...


_SCHEMAS: dict[str, type] = {}


def register_group(cls: type) -> type:
    """Class decorator: make ``cls`` the schema of the tree group ``cls.name``."""
    _SCHEMAS[cls.name] = cls
    return cls


def group_schemas() -> dict[str, type]:
    """``{group name: schema class}`` of every registered group."""
    return dict(_SCHEMAS)


def as_dataset(group: Any) -> xr.Dataset:
    """The ``xarray.Dataset`` of a typed group (a Dataset passes through unchanged)."""
    return group if isinstance(group, xr.Dataset) else group.to_dataset()


def read_group(tree: xr.DataTree, name: str):
    """The typed group ``name`` of ``tree`` (``None`` when the tree has no such group);
    a group without a registered schema comes back as its Dataset."""
    if name not in tree.children:
        return None
    ds = tree[name].to_dataset()
    cls = _SCHEMAS.get(name)
    return ds if cls is None else cls.from_dataset(ds)


def strings(values) -> tuple[str, ...]:
    """A coordinate of names as a tuple of ``str`` (netCDF may return bytes or objects)."""
    return tuple(v.decode() if isinstance(v, bytes) else str(v) for v in np.asarray(values))


def scalar(ds: xr.Dataset, name: str) -> float:
    return float(ds[name].values)
