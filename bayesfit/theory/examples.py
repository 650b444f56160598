"""Synthetic data sets for the learning-theory use cases, made with the simulators.

``python -m bayesfit.theory.examples [outdir]`` writes the CSV files used by the example
model files (``models/examples/linear_vae_*.toml``, ``matrix_game.toml``) with ``#``
header lines recording that they are synthetic, the generating values and the seed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from ..io import write_table
from . import games, vae

CURVES_TRUTH = dict(rho=1.2, eta=0.6, tau=0.1, lam=0.0)
CURVES_BETAS = (0.6, 1.0, 1.4)
SIZES_TRUTH = dict(rho=1.0, eta=1.0, lam=1.0)


def learning_curves(
    seed: int = 0,
    *,
    N: int = 1000,
    t_max: float = 250.0,
    n_points: int = 26,
    betas=CURVES_BETAS,
    truth=CURVES_TRUTH,
):
    """One-pass SGD runs (random Gaussian init, one run per beta), recorded at
    ``n_points`` equally spaced times. Returns a list of dicts with keys name, beta, t,
    eps_g, kl and m0 (the run's actual initial teacher overlap)."""

    def one(key, beta):
        return vae.simulate_sgd(
            key,
            N=N,
            rho=truth["rho"],
            eta=truth["eta"],
            tau=truth["tau"],
            schedule=beta,
            lam=truth["lam"],
            t_max=t_max,
            n_saves=n_points - 1,
        )

    keys = jax.random.split(jax.random.PRNGKey(seed), len(betas))
    runs = jax.jit(jax.vmap(one))(keys, jnp.asarray(betas, jnp.float64))
    out = []
    for i, beta in enumerate(betas):
        ov = jax.tree_util.tree_map(lambda a, i=i: a[i], runs.overlaps)
        out.append(
            dict(
                name=f"run{i + 1}",
                beta=float(beta),
                t=np.asarray(runs.ts[i]),
                eps_g=np.asarray(vae.generalization_error(ov, truth["rho"])),
                kl=np.asarray(vae.kl_term(ov, truth["rho"], truth["eta"])),
                m0=float(ov.m[0, 0, 0]),
            )
        )
    return out


def dataset_size_points(
    seed: int = 0,
    *,
    N: int = 500,
    alphas=(1.8, 2.5, 3.5, 5.0, 7.0, 10.0),
    betas=(0.7, 1.4),
    truth=SIZES_TRUTH,
    steps: int = 400,
):
    """Full-batch training (L-BFGS to the global minimum) on fresh datasets of n = alpha N
    samples; per (alpha, beta): test epsilon_g and test rate / distortion (20 000 fresh
    samples). The alphas stay clear of alpha_c = (eta/rho)^2 = 1, where the finite-N top
    eigenvector fluctuates strongly (spec Sec. 2.6), and of the over-learning phase, whose
    finite-N corrections bias lam at this N. Returns a dict of arrays alpha, beta, eps_g,
    rate, distortion."""
    key = jax.random.PRNGKey(seed)
    k_teacher, key = jax.random.split(key)
    W_star = vae.teacher(k_teacher, N)
    rows = {k: [] for k in ("alpha", "beta", "eps_g", "rate", "distortion")}
    X_test = vae.sample_spiked(
        jax.random.fold_in(key, 999), 20000, W_star, truth["rho"], truth["eta"]
    )
    for i, alpha in enumerate(alphas):
        kd, ki = jax.random.split(jax.random.fold_in(key, i))
        X = vae.sample_spiked(kd, int(round(alpha * N)), W_star, truth["rho"], truth["eta"])
        for beta in betas:
            fit = vae.train_full_batch(
                X, vae.gaussian_weights(ki, W_star), beta=beta, lam=truth["lam"], steps=steps
            )
            w = fit.weights
            ov = vae.overlaps_from_weights(w.W, w.W_enc, w.D, W_star)
            rate, dist = vae.rate_distortion(w, X_test)
            for k, v in (
                ("alpha", alpha),
                ("beta", beta),
                ("eps_g", vae.generalization_error(ov, truth["rho"])),
                ("rate", rate),
                ("distortion", dist),
            ):
                rows[k].append(float(v))
    return {k: np.asarray(v) for k, v in rows.items()}


def collapse_boundary(
    seed: int = 0,
    *,
    N: int = 500,
    alphas=(0.5, 2.0, 6.0),
    truth=SIZES_TRUTH,
    steps: int = 400,
    iters: int = 12,
    q_min: float = 1e-4,
    bracket=(0.01, 6.0),
):
    """Simulated collapse boundary: for each alpha, bisection on beta of whether full-batch
    training on one dataset ends with ||W||^2/N > ``q_min``. Returns (alphas, beta_c).

    ``bracket``: the beta interval searched, one (lo, hi) pair or one per alpha; the result
    is its midpoint after ``iters`` halvings (resolution (hi - lo) / 2**iters). A boundary
    outside the bracket gives a result within that resolution of its edge.
    """
    brackets = np.broadcast_to(np.asarray(bracket, float), (len(alphas), 2))
    key = jax.random.PRNGKey(seed)
    k_teacher, key = jax.random.split(key)
    W_star = vae.teacher(k_teacher, N)
    out = []
    for i, alpha in enumerate(alphas):
        kd, ki = jax.random.split(jax.random.fold_in(key, i))
        X = vae.sample_spiked(kd, int(round(alpha * N)), W_star, truth["rho"], truth["eta"])
        lo, hi = (float(b) for b in brackets[i])
        for _ in range(iters):
            mid = 0.5 * (lo + hi)
            w = vae.train_full_batch(
                X, vae.gaussian_weights(ki, W_star), beta=mid, lam=truth["lam"], steps=steps
            ).weights
            q = float(jnp.sum(w.W**2) / N)
            lo, hi = (mid, hi) if q > q_min else (lo, mid)
        out.append(0.5 * (lo + hi))
    return np.asarray(alphas, float), np.asarray(out)


def game_supports(seed: int = 0, *, gamma: float = 0.5, M: int = 100, n_games: int = 12):
    """Support fractions and values of ``n_games`` random N x M zero-sum games (LP)."""
    N = int(round(gamma * M))
    return games.sample_games(seed, N, M, n_games)


def _write(path: Path, header: list[str], columns: dict[str, np.ndarray]) -> None:
    write_table(path, columns, header, digits=8)


def write_all(outdir: str | Path) -> list[Path]:
    """Write the example CSVs into ``outdir``; returns their paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    made = []
    cmd = "python -m bayesfit.theory.examples"
    t = CURVES_TRUTH
    for run in learning_curves(0):
        p = outdir / f"linear_vae_sgd_{run['name']}.csv"
        _write(
            p,
            [
                "SYNTHETIC DATA (not measured): one-pass SGD of the linear beta-VAE, N = 1000.",
                f"made by `{cmd}` (bayesfit.theory.examples.learning_curves, seed 0);",
                f"truth: rho = {t['rho']}, eta = {t['eta']}, tau = {t['tau']}, lam = {t['lam']}, "
                f"beta = {run['beta']}, initial overlap m0 = {run['m0']:.5f}",
                "t is the number of SGD steps / N; kl is the mean KL term per sample",
                "units: t = 1, eps_g = 1, kl = nat",
            ],
            {"t": run["t"], "eps_g": run["eps_g"], "kl": run["kl"]},
        )
        made.append(p)
    s = SIZES_TRUTH
    pts = dataset_size_points(0)
    for beta in np.unique(pts["beta"]):
        sel = pts["beta"] == beta
        p = outdir / f"linear_vae_sizes_beta{beta:g}.csv"
        _write(
            p,
            [
                "SYNTHETIC DATA (not measured): full-batch linear beta-VAE on n = alpha N samples,",
                f"N = 500, L-BFGS to the minimum; made by `{cmd}` (dataset_size_points, seed 0);",
                f"truth: rho = {s['rho']}, eta = {s['eta']}, lam = {s['lam']}, beta = {beta:g}",
                "test eps_g, rate and distortion (the latter without ||x||^2/2) on 20000 samples",
                "units: alpha = 1, eps_g = 1, rate = nat, distortion = nat",
            ],
            {k: pts[k][sel] for k in ("alpha", "eps_g", "rate", "distortion")},
        )
        made.append(p)
    g = game_supports(0)
    p = outdir / "matrix_game_supports.csv"
    _write(
        p,
        [
            "SYNTHETIC DATA (not measured): exact LP solutions of random 50 x 100 zero-sum games,",
            f"A_ij ~ N(0, 1); made by `{cmd}` (game_supports, seed 0); truth: gamma = N/M = 0.5",
            "game is an index; value is (N M)^(1/4) x the game value",
            "units: game = 1, rho_x = 1, rho_y = 1, value = 1",
        ],
        {
            "game": np.arange(1, len(g["f"]) + 1),
            "rho_x": g["rho_x"],
            "rho_y": g["rho_y"],
            "value": g["f"],
        },
    )
    made.append(p)
    return made


if __name__ == "__main__":  # pragma: no cover
    for path in write_all(sys.argv[1] if len(sys.argv) > 1 else "data/examples"):
        print(path)
