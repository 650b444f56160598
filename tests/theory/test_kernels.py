"""Registered kernels: the registry contract, option validation, agreement with the
library functions they wrap, predictions, and the example model files."""

from pathlib import Path

import diffrax
import numpy as np
import pytest

from bayesfit.errors import ModelFileError
from bayesfit.io import load_model
from bayesfit.kernels import build_kernel
from bayesfit.theory import games, vae

ROOT = Path(__file__).resolve().parents[2]


def test_ode_kernel_matches_solve_overlaps_and_handles_unsorted_times():
    k = build_kernel(
        {"name": "linear_vae_ode", "tau": 0.1, "rtol": 1e-8, "atol": 1e-10}, where="test"
    )
    fm = k.dataset_model({"observable": "eps_g", "beta": 1.0, "log_m0": -3.0}, where="test")
    x = np.array([50.0, 0.0, 200.0, 10.0])
    y = np.asarray(fm.fn({"rho": 1.2, "eta": 0.6}, x))
    # the kernel's tolerances: the same compiled solve serves both (one compile, not two)
    tr = vae.solve_overlaps(
        np.sort(x),
        vae.initial_overlaps(np.exp(-3.0)),
        rho=1.2,
        eta=0.6,
        tau=0.1,
        schedule=1.0,
        stepsize_controller=diffrax.PIDController(rtol=1e-8, atol=1e-10),
    )
    ref = np.asarray(vae.generalization_error(tr.overlaps, 1.2))
    np.testing.assert_allclose(y, ref[np.argsort(np.argsort(x))], atol=1e-6)


def test_ode_kernel_observables_and_sources():
    k = build_kernel({"name": "linear_vae_ode", "schedule": "tanh", "gamma": 0.05}, where="test")
    p = {"rho": 1.0, "eta": 1.0, "tau": 0.1, "beta": 1.2, "m0_a": -2.5}
    x = np.linspace(0.0, 100.0, 5)
    kl = k.dataset_model({"observable": "kl", "log_m0": "m0_a"}, where="t").fn(p, x)
    rec = k.dataset_model({"observable": "recon", "log_m0": "m0_a", "N": 100}, where="t").fn(p, x)
    loss = k.dataset_model({"observable": "loss", "log_m0": "m0_a", "N": 100}, where="t").fn(p, x)
    beta_t = 1.2 * np.tanh(0.05 * x)
    np.testing.assert_allclose(
        np.asarray(loss), np.asarray(rec) + beta_t * np.asarray(kl), atol=1e-10
    )
    m = np.exp(-2.5)  # t = 0: Q = E = 1, R = 0, D = 1, m = d = m0
    want = -(m * m) + 0.5 * (m * m + 1.0) + 0.5 + 0.5 * (100 * 1.0 + 1.0)
    assert float(rec[0]) == pytest.approx(want, abs=1e-9)
    with pytest.raises(KeyError):  # a parameter the model file does not define
        k.dataset_model({"observable": "kl"}, where="t").fn({"rho": 1.0}, x)


@pytest.mark.parametrize(
    "bad, msg",
    [
        ({"observable": "nope"}, "observable"),
        ({"betta": 1.0}, "betta"),
        ({"beta": True}, "beta"),
        ({"N": -3}, "N"),
    ],
)
def test_ode_kernel_rejects_bad_options(bad, msg):
    k = build_kernel({"name": "linear_vae_ode"}, where="m.toml:1")
    with pytest.raises(ModelFileError, match=msg):
        k.dataset_model(bad, where="m.toml:7: dataset 'a'")


def test_kernel_settings_are_validated():
    with pytest.raises(ModelFileError, match="schedule"):
        build_kernel({"name": "linear_vae_ode", "schedule": "cosine"}, where="m.toml")
    with pytest.raises(ModelFileError, match="bogus"):
        build_kernel({"name": "linear_vae_replica", "bogus": 1}, where="m.toml")
    with pytest.raises(ModelFileError, match="game"):
        build_kernel({"name": "matrix_game", "game": "chess"}, where="m.toml")
    with pytest.raises(ModelFileError, match="needs M = 1"):
        build_kernel({"name": "linear_vae_ode", "M": 2}, where="m").dataset_model(
            {"observable": "Q"}, where="m"
        )


def test_replica_kernel_matches_library_and_predictions():
    k = build_kernel({"name": "linear_vae_replica", "beta": 1.0}, where="test")
    p = {"rho": 1.0, "eta": 1.0, "lam": 1.0, "N_eff": 100.0}
    a = np.array([0.4, 10.0])
    eps = k.dataset_model({"observable": "eps_g"}, where="t").fn(p, a)
    np.testing.assert_allclose(eps, [1.2986, 0.1821], atol=1e-4)
    eps_n = k.dataset_model({"observable": "eps_g", "input": "n"}, where="t").fn(p, 100 * a)
    np.testing.assert_allclose(eps_n, eps, atol=1e-12)
    nu = k.dataset_model({"observable": "nu"}, where="t").fn(p, a)
    np.testing.assert_allclose(nu, vae.bbp_spectrum(a, 1.0, 1.0).nu)
    preds = k.predictions()
    assert {"beta_c", "beta_opt", "eps_g", "plateau_edge", "inevitable_collapse_beta"} <= set(preds)
    pe = preds["plateau_edge"]
    assert float(pe.fn(p, None)) == pytest.approx(0.1006, abs=1e-4)
    bc = preds["beta_c"]
    np.testing.assert_allclose(bc.fn(p, bc.grid), vae.beta_c(bc.grid, 1.0, 1.0, 1.0))


def test_game_kernel():
    k = build_kernel({"name": "matrix_game"}, where="t")
    y = k.dataset_model({"observable": "rho_x"}, where="t").fn({"gamma": 0.5}, np.arange(3.0))
    np.testing.assert_allclose(y, [float(games.simplex_game_rs(0.5).rho_x)] * 3)
    k = build_kernel({"name": "matrix_game", "game": "spherical", "gamma": 2.0}, where="t")
    y = k.dataset_model({"observable": "minmax"}, where="t").fn({}, np.zeros(1))
    assert float(y[0]) == pytest.approx(2 - np.sqrt(2), abs=1e-12)


@pytest.mark.parametrize("name", ["linear_vae_ode", "linear_vae_replica", "matrix_game"])
def test_example_model_files_load(name):
    spec = load_model(ROOT / "models" / "examples" / f"{name}.toml")
    problem = spec.problem()
    z = problem.unconstrain(
        {k: d.sample(__import__("jax").random.PRNGKey(0)) for k, d in problem.free.items()}
    )
    assert problem.dim >= 1 and np.shape(z) == (problem.dim,)
    assert set(spec.kernel.predictions())
