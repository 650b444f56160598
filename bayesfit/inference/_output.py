"""What every inference method returns to :func:`bayesfit.fit`."""

from __future__ import annotations

from typing import Any, NamedTuple


class Draws(NamedTuple):
    """Posterior draws in the unconstrained space plus method-specific extras.

    z:
        Array ``(chains, draws, dim)`` of unconstrained parameter vectors of ``problem``.
    sample_stats:
        ``{name: array (chains, draws)}`` per-draw statistics (ArviZ ``sample_stats``).
    groups:
        Extra result groups ``{group name: typed group}`` (e.g. ``map``, ``evidence``): the
        schemas of :mod:`bayesfit.results._groups`, written with their ``to_dataset``.
    attrs:
        Scalars and strings describing the run (stored in the result's attributes).
    problem:
        The problem the draws belong to when a method changes it (e.g. noise levels fixed at
        their free-energy estimate); ``None`` means the problem that was passed in.
    """

    z: Any
    sample_stats: dict[str, Any]
    groups: dict[str, Any]
    attrs: dict[str, Any]
    problem: Any = None


def z_names(problem) -> tuple[str, ...]:
    """A name for every coordinate of the unconstrained vector ``z`` of ``problem``:
    the parameter name, with ``[i]`` (flat index) for array parameters."""
    out = []
    for k in problem.free:
        n = problem.sizes[k]
        out += [k] if problem.shapes[k] == () else [f"{k}[{i}]" for i in range(n)]
    return tuple(out)
