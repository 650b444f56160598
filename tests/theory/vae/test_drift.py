"""The ODE right-hand side against a Monte-Carlo average of one SGD step (spec Sec. 1.7).

At a random M = M* = 2 state with distinct rho_k and lam > 0, N times the mean one-step
increment of every overlap (the SGD gradient from jax.grad of the per-sample loss written
here, not the library's sgd_step) must match ``drift`` within Monte-Carlo error.
"""

import jax
import jax.numpy as jnp
import numpy as np

from bayesfit.theory import vae

N, K, CHUNK = 2000, 20000, 2000
RHO, ETA, BETA, LAM, TAU = np.array([1.5, 0.8]), 0.6, 0.9, 0.2, 0.3


def _loss(W, Wt, D, x):
    """Per-sample loss of spec Sec. 1.2 (expectation over q in closed form)."""
    n = x.shape[0]
    mu = Wt @ x / jnp.sqrt(n)
    QW = W.T @ W / n
    return (
        -x @ W @ mu / jnp.sqrt(n)
        + 0.5 * mu @ QW @ mu
        + 0.5 * jnp.trace(QW * D)
        + 0.5 * BETA * jnp.sum(mu**2 + D - jnp.log(D))
        + 0.5 * LAM / n * (jnp.sum(W**2) + jnp.sum(Wt**2))
    )


def _state(seed=0):
    rng = np.random.default_rng(seed)
    Ws, _ = np.linalg.qr(rng.standard_normal((N, 2)))
    Ws *= np.sqrt(N)
    W = Ws @ np.array([[0.6, 0.2], [-0.3, 0.5]]) + 0.7 * rng.standard_normal((N, 2))
    Wt = (Ws @ np.array([[0.3, -0.1], [0.2, 0.4]]) + 0.5 * rng.standard_normal((N, 2))).T
    return Ws, W, Wt, np.array([0.7, 1.3])


def _overlaps(W, Wt, D, Ws):
    return np.concatenate(
        [
            (W.T @ Ws / N).ravel(),
            (Wt @ Ws / N).ravel(),
            (W.T @ W / N).ravel(),
            (Wt @ Wt.T / N).ravel(),
            (W.T @ Wt.T / N).ravel(),
            D,
        ]
    )


def test_drift_matches_monte_carlo_sgd_step():
    Ws, W, Wt, D = _state()
    grads = jax.jit(jax.vmap(jax.grad(_loss, argnums=(0, 1, 2)), in_axes=(None, None, None, 0)))
    base = _overlaps(W, Wt, D, Ws)
    rng = np.random.default_rng(1)
    incs = []
    for _ in range(K // CHUNK):
        c = rng.standard_normal((CHUNK, 2)) * np.sqrt(RHO)
        X = c @ Ws.T / np.sqrt(N) + np.sqrt(ETA) * rng.standard_normal((CHUNK, N))
        gW, gWt, gD = (np.asarray(g) for g in grads(W, Wt, D, X))
        W1 = W - TAU * gW
        Wt1 = Wt - TAU * gWt
        D1 = D - TAU / N * gD
        m = np.einsum("kni,nj->kij", W1, Ws) / N
        d = np.einsum("kin,nj->kij", Wt1, Ws) / N
        Q = np.einsum("kni,knj->kij", W1, W1) / N
        E = np.einsum("kin,kjn->kij", Wt1, Wt1) / N
        R = np.einsum("kni,kjn->kij", W1, Wt1) / N
        new = np.concatenate([a.reshape(CHUNK, -1) for a in (m, d, Q, E, R, D1)], axis=1)
        incs.append(N * (new - base))
    incs = np.concatenate(incs)
    est, se = incs.mean(0), incs.std(0) / np.sqrt(K)
    ov = vae.overlaps_from_weights(jnp.asarray(W), jnp.asarray(Wt), jnp.asarray(D), jnp.asarray(Ws))
    dr = vae.drift(ov, rho=RHO, eta=ETA, beta=BETA, lam=LAM, tau=TAU)
    theory = np.concatenate([np.asarray(a).ravel() for a in dr])
    # 22 distinct components (Q, E symmetric); all within 5 standard errors + O(1/N) bias
    assert np.all(np.abs(est - theory) < 5 * se + 2e-3 * (1 + np.abs(theory))), np.c_[
        est, theory, se
    ]
