"""solve_overlaps against an independent integration of the spec's scalar ODE (SciPy),
the spec's checkpoints (fixed point at tau = 0.1, convergence times with and without KL
annealing, superfluous latents), PSD safety for M >= 2, and gradients vs differences."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import solve_ivp

from bayesfit.theory import vae

from .._helpers import central_difference, scalar_ode_rhs


@pytest.mark.parametrize(
    "rho, eta, beta, lam, tau",
    [(1.0, 1.0, 1.0, 0.0, 0.1), (2.0, 0.5, 0.8, 0.3, 0.05), (1.0, 1.0, 2.5, 0.0, 0.1)],
)
def test_matches_scipy_scalar_form(rho, eta, beta, lam, tau):
    ts = np.linspace(0, 400, 81)
    y0 = np.array([0.1, 0.05, 1.0, 1.0, 0.0, 1.0])
    ref = solve_ivp(
        lambda t, y: scalar_ode_rhs(y, rho=rho, eta=eta, beta=beta, lam=lam, tau=tau),
        (0, ts[-1]),
        y0,
        t_eval=ts,
        method="DOP853",
        rtol=1e-10,
        atol=1e-12,
    )
    init = vae.initial_overlaps(0.1, d0=0.05)
    for coords in (vae.Direct(), vae.LogCholesky()):
        ov = vae.solve_overlaps(
            ts, init, rho=rho, eta=eta, tau=tau, schedule=beta, lam=lam, coords=coords
        ).overlaps
        got = np.stack([np.asarray(a).reshape(len(ts), -1)[:, 0] for a in ov], axis=0)
        np.testing.assert_allclose(got, ref.y, atol=2e-6)


def test_fixed_point_checkpoint_tau_01():
    # 81 save times, as test_matches_scipy_scalar_form: the same compiled solve (the save
    # times are data, their number is not); the value at t = 2000 is all that is read
    ts = jnp.linspace(0.0, 2000.0, 81)
    ov = vae.solve_overlaps(
        ts, vae.initial_overlaps(0.03), rho=1.0, eta=1.0, tau=0.1, schedule=1.0
    ).overlaps
    last = np.array([float(a.ravel()[-1]) for a in ov])
    np.testing.assert_allclose(last, [1.0035, 0.4897, 1.0491, 0.2482, 0.5081, 0.4880], atol=6e-5)
    assert float(vae.generalization_error(ov, 1.0)[-1]) == pytest.approx(0.0421, abs=5e-5)


def _convergence_times(schedules):
    ts = jnp.linspace(0, 1200, 4801)
    init = vae.initial_overlaps(0.03)
    out = []
    for s in schedules:
        tr = vae.solve_overlaps(ts, init, rho=1.0, eta=1.0, tau=0.1, schedule=s)
        eps = vae.generalization_error(tr.overlaps, 1.0)
        star = vae.generalization_error(vae.stationary_overlaps(1.0, 1.0, s.final, 0.1), 1.0)
        out.append(float(vae.convergence_time(ts, eps, star)))
    return out


def test_convergence_time_checkpoints():
    """Spec Sec. 1.6: tau = 0.1, m0 = d0 = 0.03; |eps_g - eps_g*| < 0.01 from then on."""
    sched = [
        vae.Constant(1.0),
        vae.Constant(1.5),
        vae.Constant(1.8),
        vae.Tanh(1.0, 0.003),
        vae.Tanh(1.5, 0.03),
        vae.Tanh(1.8, 0.03),
        vae.Tanh(1.8, 0.3),
    ]
    want = [124.5, 263, 577, 478, 204, 376, 560]
    got = _convergence_times(sched)
    np.testing.assert_allclose(got, want, atol=1.0)
    # annealing at the optimal rate beats constant beta by ~22% (1.5) and ~35% (1.8)
    assert got[4] / got[1] < 0.8 and got[5] / got[2] < 0.7


def test_linear_schedule_speeds_up_like_tanh():
    # the grid of _convergence_times: its constant-beta solve is compiled once for both
    ts = jnp.linspace(0, 1200, 4801)
    init = vae.initial_overlaps(0.03)
    star = float(vae.generalization_error(vae.stationary_overlaps(1.0, 1.0, 1.5, 0.1), 1.0))
    times = {}
    for name, s in {"const": vae.Constant(1.5), "linear": vae.Linear(1.5, 0.03)}.items():
        eps = vae.generalization_error(
            vae.solve_overlaps(ts, init, rho=1.0, eta=1.0, tau=0.1, schedule=s).overlaps, 1.0
        )
        times[name] = float(vae.convergence_time(ts, eps, star))
    assert times["linear"] < 0.9 * times["const"]


def test_superfluous_latent_is_psd_safe_and_matches_spec():
    """M = 2, M* = 1, rho = eta = 1, beta = 0.5, tau = 0.1: (Q11, Q22, D2) -> (1.647, 0.576,
    0.465); the Gram matrix of (W*, W, W~^T) stays PSD on a long run (t = 3000)."""
    ts = jnp.linspace(0, 3000, 61)
    init = vae.initial_overlaps(0.03, M=2, M_star=1, pattern=[[1.0], [0.7]])
    ov = vae.solve_overlaps(
        ts, init, rho=1.0, eta=1.0, tau=0.1, schedule=0.5, max_steps=50000
    ).overlaps
    np.testing.assert_allclose(
        [ov.Q[-1, 0, 0], ov.Q[-1, 1, 1], ov.D[-1, 1]], [1.647, 0.576, 0.465], atol=1.5e-3
    )
    assert abs(float(ov.m[-1, 1, 0])) < 1e-3  # the superfluous latent loses the signal
    G = np.block(
        [
            [
                np.broadcast_to(np.eye(1), (61, 1, 1)),
                np.swapaxes(ov.m, 1, 2),
                np.swapaxes(ov.d, 1, 2),
            ],
            [ov.m, ov.Q, ov.R],
            [ov.d, np.swapaxes(ov.R, 1, 2), ov.E],
        ]
    )
    assert np.linalg.eigvalsh(G).min() > -1e-10
    assert np.allclose(ov.Q, np.swapaxes(ov.Q, 1, 2))


def test_entangled_then_disentangled():
    """M = M* = 2, rho = (1.5, 1): m first mixes the factors, then slowly diagonalises."""
    ts = jnp.array([0.0, 300.0, 1000.0, 3000.0])
    init = vae.initial_overlaps(0.03, M=2, M_star=2, pattern=[[1.0, 0.8], [0.6, 1.1]])
    m = np.abs(
        np.asarray(
            vae.solve_overlaps(
                ts, init, rho=jnp.array([1.5, 1.0]), eta=1.0, tau=0.1, schedule=0.5, max_steps=50000
            ).overlaps.m
        )
    )
    off = (m[:, 0, 1] + m[:, 1, 0]) / m.sum(axis=(1, 2))
    assert off[1] > 0.2 and off[3] < off[2] < off[1]


def test_gradients_match_finite_differences():
    ts = jnp.linspace(5.0, 300.0, 40)

    def curve(p):
        init = vae.initial_overlaps(jnp.exp(p["log_m0"]))
        tr = vae.solve_overlaps(
            ts,
            init,
            rho=p["rho"],
            eta=p["eta"],
            tau=p["tau"],
            lam=p["lam"],
            schedule=vae.Tanh(p["beta_f"], p["gamma"]),
        )
        eps = vae.generalization_error(tr.overlaps, p["rho"])
        kl = vae.kl_term(tr.overlaps, p["rho"], p["eta"])
        return jnp.sum(eps * jnp.linspace(0, 1, 40)) + 0.3 * jnp.sum(kl)

    p = dict(rho=1.2, eta=0.8, tau=0.08, lam=0.1, beta_f=1.1, gamma=0.05, log_m0=np.log(0.05))
    # one compiled program gives the gradient and the values the differences use
    value_and_grad = jax.jit(jax.value_and_grad(curve))
    g = value_and_grad(p)[1]
    for k in p:
        fd = central_difference(lambda q: value_and_grad(q)[0], p, k, h=1e-5)
        assert float(g[k]) == pytest.approx(fd, rel=2e-4, abs=1e-5), k


def test_kl_and_reconstruction_are_expectations():
    """kl_term / reconstruction_term against Monte-Carlo averages over fresh samples at
    concrete weights (N = 500)."""
    rng = np.random.default_rng(3)
    N, rho, eta = 500, 1.3, 0.7
    Ws = np.ones((N, 1))
    W = 0.8 * Ws + rng.standard_normal((N, 1))
    Wt = (0.4 * Ws + 0.6 * rng.standard_normal((N, 1))).T
    D = np.array([0.6])
    X = (np.sqrt(rho) * rng.standard_normal((40000, 1))) @ Ws.T / np.sqrt(N) + np.sqrt(
        eta
    ) * rng.standard_normal((40000, N))
    mu = X @ Wt.T / np.sqrt(N)
    QW = (W.T @ W / N)[0, 0]
    kl_mc = np.mean(0.5 * (mu[:, 0] ** 2 + D[0] - np.log(D[0]) - 1))
    xz = X @ W[:, 0] / np.sqrt(N) * mu[:, 0]
    rec_mc = np.mean(0.5 * np.sum(X**2, 1) - xz + 0.5 * QW * (mu[:, 0] ** 2 + D[0]))
    ov = vae.overlaps_from_weights(jnp.asarray(W), jnp.asarray(Wt), jnp.asarray(D), jnp.asarray(Ws))
    assert float(vae.kl_term(ov, rho, eta)) == pytest.approx(kl_mc, rel=0.01)
    assert float(vae.reconstruction_term(ov, rho, eta, N=N)) == pytest.approx(rec_mc, rel=2e-3)


def test_new_parameter_values_do_not_recompile(monkeypatch):
    """The vector field is traced during the first solve only (diffrax caches the compiled
    solve on the module-level term; numbers travel as arrays)."""
    from bayesfit.theory.vae import _ode

    traces = []

    def counting_drift(*args, **kwargs):
        traces.append(1)
        return vae.drift(*args, **kwargs)

    monkeypatch.setattr(_ode, "drift", counting_drift)
    ts = jnp.linspace(0.0, 50.0, 13)  # a shape no other test compiles
    kw = dict(eta=0.9, tau=0.07, lam=0.05)
    vae.solve_overlaps(ts, vae.initial_overlaps(0.02), rho=1.1, schedule=vae.Tanh(1.3, 0.2), **kw)
    first = len(traces)
    assert first > 0
    for rho, beta in [(1.3, 0.9), (0.8, 1.7)]:
        vae.solve_overlaps(
            ts, vae.initial_overlaps(0.04), rho=rho, schedule=vae.Tanh(beta, 0.1), **kw
        )
    assert len(traces) == first
