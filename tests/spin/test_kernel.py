"""The registered ``spin_cluster`` kernel: settings, dataset models, units, predictions."""

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.errors import ModelFileError, UnitError
from bayesfit.kernels import build_kernel
from bayesfit.spin import Cluster

from .helpers import C_CGS, CM_K, NA_MUB

SETTINGS = {
    "name": "spin_cluster",
    "spins": [0.5, 0.5, 1.0],
    "bonds": {"J1": [[0, 1]], "J2": [[1, 2], [0, 2]]},
    "convention": "-J",
    "energy_unit": "meV",
    "formula_units": 2,
}
P = {"J1": -1.2, "J2": 0.4, "g": 2.05}


@pytest.fixture(scope="module")
def kernel():
    return build_kernel(SETTINGS, where="test.toml:3")


@pytest.fixture(scope="module")
def cluster():
    s = {k: v for k, v in SETTINGS.items() if k not in ("name", "spins", "bonds")}
    return Cluster(SETTINGS["spins"], SETTINGS["bonds"], **s)


def test_dataset_models_match_the_cluster(kernel, cluster):
    t = np.array([2.0, 20.0, 200.0])
    fm = kernel.dataset_model({"observable": "susceptibility"}, where="w")
    assert (fm.x_units, fm.y_units) == ("K", "emu/mol")
    np.testing.assert_allclose(fm.fn(P, t), cluster.susceptibility(P, t), rtol=1e-12)
    fm = kernel.dataset_model(
        {"observable": "chiT", "field_T": 0.5, "y_units": "cm^3 K/mol"}, where="w"
    )
    np.testing.assert_allclose(fm.fn(P, t), t * cluster.susceptibility(P, t, field=0.5), rtol=1e-12)
    fm = kernel.dataset_model(
        {
            "observable": "magnetization",
            "temperature_K": 1.4,
            "x_units": "kOe",
            "y_units": "emu/mol",
        },
        where="w",
    )
    b_koe = np.array([5.0, 50.0, 300.0])
    np.testing.assert_allclose(
        fm.fn(P, b_koe), NA_MUB * np.asarray(cluster.magnetization(P, b_koe / 10, 1.4)), rtol=1e-6
    )
    fm = kernel.dataset_model({"observable": "heat_capacity", "y_units": "mJ/(mol K)"}, where="w")
    np.testing.assert_allclose(fm.fn(P, t), 1e3 * cluster.heat_capacity(P, t), rtol=1e-12)


def test_bad_dataset_options(kernel):
    with pytest.raises(ModelFileError, match=r"unknown dataset keys \['temprature_K'\]"):
        kernel.dataset_model({"observable": "magnetization", "temprature_K": 2}, where="w")
    with pytest.raises(ModelFileError, match="observable = 'chi'"):
        kernel.dataset_model({"observable": "chi"}, where="w")
    with pytest.raises(ModelFileError, match="needs temperature_K"):
        kernel.dataset_model({"observable": "magnetization"}, where="w")
    with pytest.raises(ModelFileError, match=r"\['temperature_K'\] do not apply"):
        kernel.dataset_model({"observable": "susceptibility", "temperature_K": 2}, where="w")
    with pytest.raises(UnitError, match="unknown unit 'emu/g' for susceptibility"):
        kernel.dataset_model({"observable": "susceptibility", "y_units": "emu/g"}, where="w")
    with pytest.raises(UnitError, match="unknown unit 'mK' for temperature"):
        kernel.dataset_model({"observable": "chiT", "x_units": "mK"}, where="w")
    with pytest.raises(ModelFileError, match="temperature_K = -1"):
        kernel.dataset_model({"observable": "magnetization", "temperature_K": -1}, where="w")


def test_bad_settings():
    with pytest.raises(ModelFileError, match=r"unknown \[kernel\] keys \['bond'\]"):
        build_kernel(dict(SETTINGS, bond={}), where="m.toml")
    settings = {k: v for k, v in SETTINGS.items() if k != "convention"}
    with pytest.raises(ModelFileError, match="needs 'convention'"):
        build_kernel(settings, where="m.toml")
    with pytest.raises(ModelFileError, match="prediction_T_K"):
        build_kernel(dict(SETTINGS, prediction_T_K=[10, 1, 5]), where="m.toml")


def test_predictions(kernel, cluster):
    preds = kernel.predictions()
    assert {
        "spin_gap",
        "heat_capacity",
        "entropy",
        "saturation_field",
        "correlation_J1",
        "correlation_J2",
    } <= set(preds)
    gap = preds["spin_gap"]
    assert gap.grid is None and gap.units == "meV"
    assert float(gap.fn(P, None)) == pytest.approx(float(cluster.gap(P)))
    c = preds["heat_capacity"]
    np.testing.assert_allclose(c.fn(P, c.grid), cluster.heat_capacity(P, c.grid))
    corr = {n: float(preds[f"correlation_{n}"].fn(P, None)) for n in ("J1", "J2")}
    # Hellmann-Feynman: E0 = c sum_b J_b n_b <S.S>_b with c = -1, energies in meV
    e0 = float(cluster.spectrum(P).energy[0])
    assert e0 == pytest.approx(-(P["J1"] * 1 * corr["J1"] + P["J2"] * 2 * corr["J2"]), rel=1e-10)


def test_likelihood_compiles_once(kernel):
    traces = {"n": 0}
    fm = kernel.dataset_model({"observable": "susceptibility", "field_T": 0.1}, where="w")
    t = np.geomspace(2, 300, 50)
    y = np.asarray(fm.fn(P, t))

    def model(p, x):
        traces["n"] += 1  # runs only while JAX traces
        return fm.fn(p, x)

    @jax.jit
    def loglike(p):
        return -0.5 * jnp.sum(((model(p, t) - y) / 1e-5) ** 2)

    grad = jax.jit(jax.value_and_grad(loglike))
    for k in range(5):
        p = {"J1": -1.2 + 0.01 * k, "J2": 0.4, "g": 2.05 - 0.001 * k}
        value, g = grad(p)
        assert np.isfinite(value) and all(np.isfinite(v) for v in g.values())
    assert traces["n"] == 1


def test_model_file_through_load_model():
    from bayesfit.io import load_model

    path = Path(__file__).resolve().parents[2] / "models" / "examples" / "dimer.toml"
    spec = load_model(path)
    chi = spec.dataset("chi").model
    assert (chi.x_units, chi.y_units) == ("K", "emu/mol")
    params = {"J": -60.0, "g": 2.1, "rho_imp": 0.0, "chi0": 0.0}
    t = np.array([20.0, 100.0, 300.0])
    gap = 120.0 * CM_K  # -2J convention, J = -60 cm-1: singlet-triplet gap 120 cm-1
    bleaney_bowers = 2 * C_CGS * 2.1**2 / (t * (3 + np.exp(gap / t)))
    # M/H at 0.1 T differs from the zero-field limit by O((g mu_B B / k_B T)^2) ~ 1e-5
    np.testing.assert_allclose(chi.fn(params, t), bleaney_bowers, rtol=3e-5)
    m = spec.dataset("magnetization_2K").model
    assert float(m.fn(params, np.array([200.0]))[0]) == pytest.approx(2.1, rel=1e-6)
