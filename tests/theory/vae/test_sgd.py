"""The one-pass SGD simulator: its step against autodiff of the per-sample loss, and the
ODE against the simulation at N = 1000 (spec Sec. 1.7 tolerances)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from bayesfit.theory import vae


def test_sgd_step_is_gradient_descent_on_the_loss():
    N, beta, lam, tau = 300, 0.7, 0.2, 0.05
    rng = np.random.default_rng(0)
    w = vae.Weights(
        W=jnp.asarray(rng.standard_normal((N, 2))),
        W_enc=jnp.asarray(rng.standard_normal((2, N))),
        D=jnp.array([0.8, 1.4]),
    )
    x = jnp.asarray(rng.standard_normal(N))

    def loss(W, Wt, D):
        mu = Wt @ x / np.sqrt(N)
        QW = W.T @ W / N
        return (
            -x @ W @ mu / np.sqrt(N)
            + 0.5 * mu @ QW @ mu
            + 0.5 * jnp.sum(jnp.diag(QW) * D)
            + 0.5 * beta * jnp.sum(mu**2 + D - jnp.log(D))
            + 0.5 * lam / N * (jnp.sum(W**2) + jnp.sum(Wt**2))
        )

    # jitted: one program each instead of dozens of op-by-op dispatches (compiles)
    gW, gWt, gD = jax.jit(jax.grad(loss, argnums=(0, 1, 2)))(w.W, w.W_enc, w.D)
    new = jax.jit(lambda w, x: vae.sgd_step(w, x, beta=beta, lam=lam, tau=tau))(w, x)
    np.testing.assert_allclose(new.W, w.W - tau * gW, atol=1e-12)
    np.testing.assert_allclose(new.W_enc, w.W_enc - tau * gWt, atol=1e-12)
    np.testing.assert_allclose(new.D, w.D - tau / N * gD, atol=1e-14)


# (rho, eta, beta, lam, tolerance along the path, tolerance at the end): spec Sec. 1.7
CASES = [
    (1.0, 1.0, 1.0, 0.0, 0.06, 0.03),
    (2.0, 0.5, 0.8, 0.3, 0.06, 0.03),
    (1.0, 1.0, 2.5, 0.0, None, None),
]


@pytest.fixture(scope="module")
def sgd_vs_ode():
    """The three settings simulated in one vectorised SGD run (N = 1000, tau = 0.1)."""
    p = np.array([c[:4] for c in CASES])

    def one(key, rho, eta, beta, lam):
        return vae.simulate_sgd(
            key,
            N=1000,
            rho=rho,
            eta=eta,
            tau=0.1,
            schedule=beta,
            lam=lam,
            t_max=100.0,
            n_saves=10,
            m0=0.2,
        )

    keys = jax.random.split(jax.random.PRNGKey(1), len(CASES))
    # 3 x 100 000 SGD steps: the run, not the compilation, is the cost. The suite compiles
    # at LLVM level 0 (scripts/test.sh, for its many small programs), which made this run
    # take 26 s; at level 1 it takes 4 s (+1 s compiling). Same computation, same numbers
    # (overlaps equal to 1e-16).
    simulate = jax.jit(jax.vmap(one), compiler_options={"xla_backend_optimization_level": 1})
    runs = simulate(keys, *(jnp.asarray(p[:, j]) for j in range(4)))
    out = []
    for i, (rho, eta, beta, lam) in enumerate(p):
        sgd = jax.tree_util.tree_map(lambda a, i=i: a[i], runs.overlaps)
        init = jax.tree_util.tree_map(lambda a: a[0], sgd)
        ode = vae.solve_overlaps(
            runs.ts[i], init, rho=rho, eta=eta, tau=0.1, schedule=beta, lam=lam
        ).overlaps
        out.append((sgd, ode))
    return out


@pytest.mark.parametrize("case", [0, 1])
def test_ode_tracks_sgd_at_N_1000(sgd_vs_ode, case):
    tol_path, tol_end = CASES[case][4:]
    sgd, ode = sgd_vs_ode[case]
    assert float(ode.m[-1, 0, 0]) > 0.8  # the runs have left the plateau
    for name, a, b in zip(sgd._fields, sgd, ode, strict=True):
        diff = np.abs(np.asarray(a) - np.asarray(b)).reshape(a.shape[0], -1)
        assert diff.max() < tol_path, (name, diff.max())
        assert diff[-1].max() < tol_end, (name, diff[-1])


def test_collapse_above_beta_pc_in_sgd_and_ode(sgd_vs_ode):
    """beta = 2.5 > beta_PC = 2: both collapse (m, Q -> 0, D -> 1)."""
    for ov in sgd_vs_ode[2]:
        assert abs(float(ov.m[-1, 0, 0])) < 0.05 and float(ov.Q[-1, 0, 0]) < 0.05
        assert float(ov.D[-1, 0]) == pytest.approx(1.0, abs=0.05)
