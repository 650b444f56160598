"""The ``spin_cluster`` kernel: spin clusters in model files.

``[kernel]`` table (``name = "spin_cluster"``)::

    spins = [0.5, 0.5, 0.5, 0.5]            # per site, positive half-integers
    bonds = { J1 = [[0, 1], [2, 3]], J2 = [[1, 2]] }
    convention = "-J"                       # +J | -J | -2J | +2J  (required)
    energy_unit = "meV"                     # K | meV | cm-1       (required)
    formula_units = 2                       # per cluster (default 1)
    g_groups = { g_Cu = [0, 1], g_Ni = [2, 3] }   # optional, default one "g"
    anisotropy = { D = [2, 3] }             # optional axial D (full-space path)
    rhombic = { E = [2, 3] }                # optional rhombic E (S_x^2 - S_y^2), same frame
    axial_g = ["g_Ni"]                      # optional axial g tensors (or true for all):
                                            #   parameters g_Ni_par (along z), g_Ni_perp
    xxz = ["J1"]                            # optional XXZ exchange: parameter J1_z, and
                                            #   c [J1 (SxSx + SySy) + J1_z SzSz]
    impurity_spin = 0.5                     # optional, spin of the rho_imp impurities
    powder_points = 8                       # optional, Gauss-Legendre nodes in cos(theta)
    max_memory_gib = 4                      # optional, refuse bigger clusters
    prediction_T_K = [1.0, 300.0, 100]      # optional, grid of C(T) and S(T) predictions
    solver = "ed"                           # "ed" (exact) | "ftlm" (spin-1/2, 16-24 sites)
    ftlm_vectors = 20                       # FTLM only: random vectors, Lanczos steps, seed,
    ftlm_steps = 80                         #   exact lowest states per S^z sector and the
    ftlm_seed = 0                           #   Lanczos steps that find them, dense sectors
    ftlm_exact_states = 8                   #   up to this size (bayesfit.spin.FTLM); the
    ftlm_exact_steps = 80                   #   stochastic error is added to the noise
    ftlm_dense_dim = 400

``[[datasets]]`` keys besides the core ones::

    observable = "susceptibility" | "chiT" | "magnetization" | "heat_capacity"
    field_T = 0.1          # chi = M/H at this field (susceptibility, chiT); C(T, B) at it
    temperature_K = 1.4    # magnetization only (required there)
    direction = "z"        # field direction: "powder" (default), "x", "y", "z", or
                           #   [theta, phi] in degrees from z, in the anisotropy frame
    x_units = "K"          # K for temperatures; T, mT, Oe, kOe for fields
    y_units = "emu/mol"    # see Cluster.susceptibility / magnetization / heat_capacity

All anisotropies share one frame (x, y, z): axial D and g about z, E along x/y, XXZ about z.
Without anisotropy the direction does not matter. With ``rhombic`` E, a direction must lie
in the x-z or y-z plane and powder data in a field are refused (zero-field chi is fine).

Parameters: the coupling names (and ``<J>_z`` for XXZ classes), ``g`` (or the g group
names; ``<g>_par`` and ``<g>_perp`` for axial groups), the D and E names, and the
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
from ._cluster import ClusterError
from ._data_checks import validator
from ._directions import parse_direction
from ._ftlm import FTLM, FtlmCluster
from ._model import Cluster
from ._symmetry import coupling_renamings
from ._units import unit_factor

_FTLM_KEYS = ("vectors", "steps", "seed", "exact_states", "exact_steps", "dense_dim")
_SETTINGS = {
    "spins",
    "bonds",
    "convention",
    "energy_unit",
    "formula_units",
    "g_groups",
    "anisotropy",
    "rhombic",
    "axial_g",
    "xxz",
    "impurity_spin",
    "powder_points",
    "max_memory_gib",
    "prediction_T_K",
    "solver",
    *(f"ftlm_{k}" for k in _FTLM_KEYS),
}
_OPTIONS = {"observable", "field_T", "temperature_K", "direction", "x_units", "y_units"}
#: observable -> (x family, y family, default y units, allowed extra options)
_OBSERVABLES = {
    "susceptibility": ("temperature", "susceptibility", "emu/mol", {"field_T"}),
    "chiT": ("temperature", "chiT", "emu K/mol", {"field_T"}),
    "magnetization": ("field", "magnetization", "mu_B/f.u.", {"temperature_K"}),
    "heat_capacity": ("temperature", "heat_capacity", "J/(mol K)", {"field_T"}),
}
_DEFAULT_X = {"temperature": "K", "field": "T"}
#: additive terms a model file may add (bayesfit.spin._additive)
OPTIONAL_PARAMETERS = ("chi0", "rho_imp", "theta_imp", "theta", "zJ", "g_imp")


def _dir(direction) -> dict:
    """The ``direction`` keyword for the ED solver; none for the isotropic FTLM solver."""
    return {} if direction is None else {"direction": direction}


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
        direction = options.get("direction")
        if isinstance(direction, list):
            direction = tuple(direction)
        try:
            direction = parse_direction(direction, where=f"{where}: direction: ")
        except ClusterError as err:
            raise ModelFileError(str(err)) from None
        where_dir = "" if direction is None else f" along (theta, phi) = {direction} deg"
        if obs == "magnetization":
            if "temperature_K" not in options:
                raise ModelFileError(f"{where}: magnetization needs temperature_K = <T in K>.")
            temp = _number(options["temperature_K"], "temperature_K", where, positive=True)

            def fn(params, x, **sd):
                m = c.magnetization(params, x / x_factor, temp, **sd, **_dir(direction))
                return _scaled(m, y_factor)

            text = f"M(B) at {temp:g} K"
        else:
            field = options.get("field_T")
            field = None if field is None else _number(field, "field_T", where, positive=False)
            field = None if field == 0 else field
            if obs == "heat_capacity":
                def fn(params, x, **sd):
                    c_t = c.heat_capacity(params, x / x_factor, field=field, **sd,
                                          **_dir(direction))
                    return _scaled(c_t, y_factor)

                text = "C(T)" if field is None else f"C(T) at {field:g} T"
            else:

                def fn(params, x, **sd):
                    return c.susceptibility(params, x / x_factor, field=field, units=y_units,
                                            **sd, **_dir(direction))

                text = ("chi*T(T)" if obs == "chiT" else "chi(T)") + (
                    " at zero field" if field is None else f" = M/H at {field:g} T"
                )
        in_field = obs == "magnetization" or options.get("field_T") not in (None, 0, 0.0)
        if c.path == "ftlm":
            if direction is not None:
                raise ModelFileError(f"{where}: direction applies to the exact-diagonalization "
                                     "solver; the FTLM solver is isotropic (drop direction).")
        else:
            try:
                c.check_direction(direction, in_field=in_field)
            except ClusterError as err:
                raise ModelFileError(f"{where}: {err}") from None
        validate = validator(obs, x_units, y_units)
        if c.path != "ftlm":
            return ForwardModel(fn, x_units, y_units, f"{text}{where_dir} of {c!r}",
                                validate=validate)

        def sd(params, x):  # stochastic (jackknife) sd of the FTLM estimate, y units
            return fn(params, x, sd=True)[1]

        return ForwardModel(lambda p, x: fn(p, x), x_units, y_units, f"{text} of {c!r}",
                            validate=validate, sd=sd)

    def parameter_names(self) -> tuple[list[str], list[str]]:
        """``(required, optional)`` parameter names of this cluster (kernel contract)."""
        return list(self.cluster.parameter_names), list(OPTIONAL_PARAMETERS)

    def symmetries(self) -> list[dict[str, str]]:
        """Renamings of couplings under exact symmetries of the cluster (``_symmetry``)."""
        return coupling_renamings(self.cluster.spec)

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


def _scaled(value, factor):
    return tuple(v * factor for v in value) if isinstance(value, tuple) else value * factor


def _ftlm_options(settings: dict, where: str) -> FTLM | None:
    """Pop ``solver`` and the ``ftlm_*`` keys; the FTLM options, or None for exact ED."""
    solver = settings.pop("solver", "ed")
    opts = {k: settings.pop(f"ftlm_{k}") for k in _FTLM_KEYS if f"ftlm_{k}" in settings}
    if solver not in ("ed", "ftlm"):
        raise ModelFileError(
            f'{where}: solver = {solver!r}; use "ed" (exact diagonalisation) or "ftlm" '
            "(finite-temperature Lanczos, spin-1/2 clusters beyond ED)."
        )
    if solver == "ed":
        if opts:
            raise ModelFileError(
                f'{where}: {sorted(f"ftlm_{k}" for k in opts)} need solver = "ftlm".'
            )
        return None
    return FTLM(**opts)


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
    ftlm = _ftlm_options(settings, where)
    if ftlm is None:
        cluster = Cluster(settings.pop("spins"), settings.pop("bonds"), where=where, **settings)
    else:
        if "powder_points" in settings:
            raise ModelFileError(f'{where}: powder_points does not apply to solver = "ftlm".')
        cluster = FtlmCluster(
            settings.pop("spins"), settings.pop("bonds"), where=where, options=ftlm, **settings
        )
    t = np.geomspace(float(grid[0]), float(grid[1]), int(grid[2]))
    return SpinClusterKernel(cluster, jnp.asarray(t))
