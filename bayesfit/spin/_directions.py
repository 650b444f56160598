"""Field directions of a measurement: powder, a crystal axis, or polar angles.

All single-ion and exchange anisotropies of a cluster share one frame (x, y, z): axial
``D`` and axial g tensors about z, rhombic ``E (S_x^2 - S_y^2)``, XXZ exchange about z.
Without ``E`` the Hamiltonian is invariant under rotations about z, so only the polar
angle ``theta`` matters. With ``E`` a rotation by 90 degrees about z maps the y axis onto x
and ``E`` onto ``-E``, so a field in the y-z plane is a field in the x-z plane with ``-E``:
every direction in the x-z or y-z planes stays a real-symmetric problem. Other azimuths
with ``E`` (and the powder magnetisation with ``E``, which needs them) are refused.

Directions are hashable host values (``None`` for powder, ``(theta, phi)`` in degrees),
static under ``jax.jit``.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ._cluster import ClusterError

AXES = {"x": (90.0, 0.0), "y": (90.0, 90.0), "z": (0.0, 0.0)}


class Node(NamedTuple):
    """One field direction as the full-space route uses it.

    ``u = cos(theta)``, ``s = sin(theta)`` (the field in the x-z plane after rotating
    about z), ``flip`` = +1 or -1 (sign of E after that rotation), ``weight`` of the node.
    """

    u: float
    s: float
    flip: float
    weight: float


def parse_direction(direction: Any, where: str = "") -> tuple[float, float] | None:
    """``None`` (powder), ``"x" | "y" | "z"`` or ``(theta, phi)`` in degrees -> canonical."""
    if direction is None or direction == "powder":
        return None
    if isinstance(direction, str):
        if direction.lower() in AXES:
            return AXES[direction.lower()]
    elif (
        isinstance(direction, tuple | list)
        and len(direction) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in direction)
        and all(math.isfinite(v) for v in direction)
    ):
        return float(direction[0]), float(direction[1])
    raise ClusterError(
        f"{where}field direction {direction!r} not understood; give 'powder', an axis "
        "'x', 'y' or 'z', or polar angles (theta, phi) in degrees from the z axis."
    )


def _plane(phi: float, has_e: bool, where: str) -> float:
    """E sign for azimuth ``phi`` (degrees): +1 in the x-z plane, -1 in the y-z plane."""
    if not has_e:
        return 1.0
    r = phi % 180.0
    if min(r, 180.0 - r) < 1e-9:
        return 1.0
    if abs(r - 90.0) < 1e-9:
        return -1.0
    raise ClusterError(
        f"{where}a field at azimuth phi = {phi:g} degrees with a rhombic E term is not "
        "supported (it needs complex matrices); measure along x, y, z or in the x-z / y-z "
        "planes (phi = 0 or 90)."
    )


def field_nodes(direction, n_powder: int, has_e: bool, where: str = "") -> tuple[Node, ...]:
    """Directions and weights for a moment in a field (powder: Gauss-Legendre in cos theta)."""
    if direction is None:
        if has_e:
            raise ClusterError(
                f"{where}the powder average in a field with a rhombic E term needs every "
                "azimuth (complex matrices) and is not supported; measure along x, y or z, "
                "or use the zero-field susceptibility (exact powder average)."
            )
        x, w = np.polynomial.legendre.leggauss(n_powder)
        u = 0.5 * (x + 1.0)
        return tuple(
            Node(float(a), float(np.sqrt(1 - a * a)), 1.0, float(0.5 * b))
            for a, b in zip(u, w, strict=True)
        )
    theta, phi = (math.radians(v) for v in direction)
    flip = _plane(direction[1], has_e, where)
    return (Node(math.cos(theta), abs(math.sin(theta)), flip, 1.0),)


def chi_weights(direction, has_e: bool) -> tuple[float, float, float]:
    """Weights of ``(chi_zz, chi_xx, chi_yy)`` in the zero-field chi along ``direction``.

    The susceptibility tensor is diagonal in the common frame; powder: 1/3 each. Without
    E, chi_yy = chi_xx and its weight is moved onto chi_xx.
    """
    if direction is None:
        wz, wx, wy = 1 / 3, 1 / 3, 1 / 3
    else:
        theta, phi = (math.radians(v) for v in direction)
        st2 = math.sin(theta) ** 2
        wz, wx, wy = math.cos(theta) ** 2, st2 * math.cos(phi) ** 2, st2 * math.sin(phi) ** 2
    if not has_e:
        wx, wy = wx + wy, 0.0
    return wz, wx, wy
