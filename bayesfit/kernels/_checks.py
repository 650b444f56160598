"""Checks every kernel runs on its model-file tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ModelFileError


def reject_unknown_keys(table: Mapping[str, Any], allowed: Iterable[str], *, where: str,
                        what: str, kernel: str = "") -> None:
    """A :class:`ModelFileError` naming every key of ``table`` not in ``allowed``.

    ``what`` names the table (``"dataset"``, ``"[kernel]"``), ``kernel`` the kernel; the
    message reads "m.toml: unknown dataset keys ['x'] for the 'k' kernel; it takes [...]".
    """
    allowed = set(allowed)
    unknown = sorted(set(table) - allowed)
    if unknown:
        owner = f" for the {kernel!r} kernel" if kernel else ""
        raise ModelFileError(
            f"{where}: unknown {what} keys {unknown}{owner}; it takes {sorted(allowed)}.")
