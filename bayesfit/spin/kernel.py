"""The ``spin_cluster`` kernel: spin clusters in model files.

``[kernel]`` table (``name = "spin_cluster"``)::

    spins = [0.5, 0.5, 0.5, 0.5]            # per site, positive half-integers
    bonds = { J1 = [[0, 1], [2, 3]], J2 = [[1, 2]] }
    convention = "-J"                       # +J | -J | -2J | +2J  (required)
    energy_unit = "meV"                     # K | meV | cm-1       (required)
    formula_units = 2                       # per cluster (default 1)
    g_groups = { g_Cu = [0, 1], g_Ni = [2, 3] }   # optional, default one "g"
    anisotropy = { D = [2, 3] }             # optional axial D (powder path)
    impurity_spin = 0.5                     # optional, spin of the rho_imp impurities
    powder_points = 8                       # optional, Gauss-Legendre nodes in cos(theta)
    max_memory_gib = 4                      # optional, refuse bigger clusters
    prediction_T_K = [1.0, 300.0, 100]      # optional, grid of C(T) and S(T) predictions

``[[datasets]]`` keys besides the core ones::

    observable = "susceptibility" | "chiT" | "magnetization" | "heat_capacity"
    field_T = 0.1          # chi = M/H at this field (susceptibility, chiT); C in a field
    temperature_K = 1.4    # magnetization only (required there)
    x_units = "K"          # K for temperatures; T, mT, Oe, kOe for fields
    y_units = "emu/mol"    # see Cluster.susceptibility / magnetization / heat_capacity

Parameters: the coupling names, ``g`` (or the g group names), the anisotropy names, and the
optional additive terms ``chi0`` (emu/mol), ``rho_imp`` (impurities per f.u.),
``theta_imp`` (K), ``theta`` (K), ``zJ`` (cluster energy unit), ``g_imp``
(:mod:`bayesfit.spin._additive`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax.numpy as jnp
import numpy as np

from ..errors import ModelFileError
from ..kernels import ForwardModel, Prediction, reject_unknown_keys
from ._model import Cluster
from ._units import unit_factor

_SETTINGS = {
    "spins",
    "bonds",
    "convention",
    "energy_unit",
    "formula_units",
    "g_groups",
    "anisotropy",
    "impurity_spin",
    "powder_points",
    "max_memory_gib",
    "prediction_T_K",
}
_OPTIONS = {"observable", "field_T", "temperature_K", "x_units", "y_units"}
#: observable -> (x family, y family, default y units, allowed extra options)
_OBSERVABLES = {
    "susceptibility": ("temperature", "susceptibility", "emu/mol", {"field_T"}),
    "chiT": ("temperature", "chiT", "emu K/mol", {"field_T"}),
    "magnetization": ("field", "magnetization", "mu_B/f.u.", {"temperature_K"}),
    "heat_capacity": ("temperature", "heat_capacity", "J/(mol K)", {"field_T"}),
}
_DEFAULT_X = {"temperature": "K", "field": "T"}


def _number(value: Any, what: str, where: str, *, positive: bool) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value)
    if not ok or (positive and value <= 0) or (not positive and value < 0):
        kind = "> 0" if positive else ">= 0"
        raise ModelFileError(f"{where}: {what} = {value!r} must be a number {kind}.")
    return float(value)


class SpinClusterKernel:
    """A :class:`Cluster` with the dataset/prediction adapters of the kernel contract."""

    def __init__(self, cluster: Cluster, prediction_t: np.ndarray):
        self.cluster = cluster
        self.prediction_t = prediction_t

    def dataset_model(self, options: Mapping[str, Any], *, where: str) -> ForwardModel:
        options = dict(options)
        reject_unknown_keys(options, _OPTIONS, where=where, what="dataset", kernel="spin_cluster")
        obs = options.get("observable")
        if obs not in _OBSERVABLES:
            raise ModelFileError(
                f"{where}: observable = {obs!r}; the 'spin_cluster' kernel "
                f"knows {sorted(_OBSERVABLES)}."
            )
        x_family, y_family, y_default, extra = _OBSERVABLES[obs]
        wrong = sorted((set(options) & {"field_T", "temperature_K"}) - extra)
        if wrong:
            raise ModelFileError(
                f"{where}: {wrong} do not apply to observable {obs!r} (it takes {sorted(extra)})."
            )
        x_units, x_factor = unit_factor(
            x_family, options.get("x_units", _DEFAULT_X[x_family]), where=f"{where}: x_units: "
        )
        y_units, y_factor = unit_factor(
            y_family, options.get("y_units", y_default), where=f"{where}: y_units: "
        )
        c = self.cluster
        if obs == "magnetization":
            if "temperature_K" not in options:
                raise ModelFileError(f"{where}: magnetization needs temperature_K = <T in K>.")
            temp = _number(options["temperature_K"], "temperature_K", where, positive=True)

            def fn(params, x):
                return c.magnetization(params, x / x_factor, temp) * y_factor

            text = f"M(B) at {temp:g} K"
        else:
            field = options.get("field_T")
            field = None if field is None else _number(field, "field_T", where, positive=False)
            field = None if field == 0 else field
            if obs == "heat_capacity":
                if field is not None and c.path != "multiplet":
                    raise ModelFileError(
                        f"{where}: heat capacity in a field needs isotropic "
                        "exchange and one g; drop field_T."
                    )

                def fn(params, x):
                    return c.heat_capacity(params, x / x_factor, field=field) * y_factor

                text = "C(T)"
            else:

                def fn(params, x):
                    return c.susceptibility(params, x / x_factor, field=field, units=y_units)

                text = ("chi*T(T)" if obs == "chiT" else "chi(T)") + (
                    " at zero field" if field is None else f" = M/H at {field:g} T"
                )
        return ForwardModel(fn, x_units, y_units, f"{text} of {c!r}")

    def predictions(self) -> dict[str, Prediction]:
        c, unit, grid = self.cluster, self.cluster.spec.energy_unit, self.prediction_t
        out = {
            "spin_gap": Prediction(
                lambda p, _: c.gap(p),
                None,
                "",
                "",
                unit,
                "E(first excited) - E(ground), zero field",
            ),
            "heat_capacity": Prediction(
                lambda p, t: c.heat_capacity(p, t),
                grid,
                "T",
                "K",
                "J/(mol K)",
                "magnetic heat capacity, zero field",
            ),
            "entropy": Prediction(
                lambda p, t: c.entropy(p, t),
                grid,
                "T",
                "K",
                "J/(mol K)",
                "magnetic entropy, zero field",
            ),
        }
        if c.path == "multiplet":
            out["saturation_field"] = Prediction(
                lambda p, _: c.saturation_field(p),
                None,
                "",
                "",
                "T",
                "field of the last T = 0 level crossing",
            )
        for name in c.spec.coupling_names:
            out[f"correlation_{name}"] = Prediction(
                lambda p, _, n=name: c.bond_correlations(p)[n],
                None,
                "",
                "",
                "1",
                f"ground-state <S_i.S_j> per bond of class {name} (Hellmann-Feynman, "
                "averaged over the degenerate ground level)",
            )
        return out


def build(settings: Mapping[str, Any], *, where: str) -> SpinClusterKernel:
    """Factory registered as ``spin_cluster`` (see the module docstring for the keys)."""
    settings = dict(settings)
    reject_unknown_keys(settings, _SETTINGS, where=where, what="[kernel]", kernel="spin_cluster")
    for key in ("spins", "bonds", "convention", "energy_unit"):
        if key not in settings:
            raise ModelFileError(
                f"{where}: [kernel] 'spin_cluster' needs {key!r} (spins = [0.5, ...], bonds = "
                '{J1 = [[0, 1]]}, convention = "+J" | "-J" | "-2J" | "+2J", energy_unit '
                '= "K" | "meV" | "cm-1"); the convention must be stated explicitly.'
            )
    grid = settings.pop("prediction_T_K", [1.0, 300.0, 100])
    if (
        not isinstance(grid, list)
        or len(grid) != 3
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in grid)
        or not 0 < grid[0] < grid[1]
        or int(grid[2]) < 2
    ):
        raise ModelFileError(
            f"{where}: prediction_T_K = {grid!r} must be [T_min, T_max, n] "
            "with 0 < T_min < T_max (K) and n >= 2."
        )
    cluster = Cluster(settings.pop("spins"), settings.pop("bonds"), where=where, **settings)
    t = np.geomspace(float(grid[0]), float(grid[1]), int(grid[2]))
    return SpinClusterKernel(cluster, jnp.asarray(t))
