"""The estimation problems of the learning-theory use cases (no inference here).

1. :func:`curves_problem`: rho, eta and the effective learning rate tau from logged
   learning curves (epsilon_g(t) or KL(t)) of several runs, each with its own initial
   overlap (a nuisance); :func:`beta_pc_posterior` reads beta_PC from the predictions.
2. :func:`sizes_problem`: rho, eta and lam from final errors or rate-distortion points at
   several dataset sizes; :func:`beta_c_band` gives the posterior band of the collapse
   boundary beta_c(alpha).
3. :func:`games_problem`: the aspect ratio of random matrix games from the support
   fractions (and/or values) of their solutions.

Each ``*_problem`` function returns the :class:`bayesfit.Problem` and its kernel; fit it
with ``bayesfit.fit(problem, method, predictions=kernel.predictions())``, or with the
``fit_*`` helpers of :mod:`bayesfit.studies.theory`. Priors are NumPyro distributions;
the defaults are broad.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist

from ..core import Dataset, Problem
from . import vae
from ._kernel_game import MatrixGameKernel
from ._kernel_ode import LinearVAEODEKernel
from ._kernel_replica import LinearVAEReplicaKernel


@dataclass(frozen=True)
class Curve:
    """One logged learning curve of online SGD.

    ``t``: times (SGD steps / N); ``y``: the observable at ``t``; ``beta``: final KL
    weight; ``name``: identifier (names the nuisance ``log_m0_<name>`` and the noise
    ``sigma_<name>``); ``observable``: eps_g | kl | recon | loss; ``N``: input dimension;
    ``schedule`` / ``gamma``: constant, linear or tanh annealing at rate gamma;
    ``sigma``: known noise (default: estimated).
    """

    t: Any
    y: Any
    beta: float
    name: str
    observable: str = "eps_g"
    N: int = 1000
    schedule: str = "constant"
    gamma: float | None = None
    sigma: Any = None


def curves_problem(
    curves: Sequence[Curve],
    *,
    tau_nominal: float | None = None,
    priors: Mapping[str, Any] | None = None,
    lam: float | str = 0.0,
    M: int = 1,
    max_steps: int = 4096,
) -> tuple[Problem, LinearVAEODEKernel]:
    """The learning-curve problem and its kernel.

    Free by default: rho, eta ~ LogNormal(0, 1) (data scaled to O(1) variance), the
    effective learning rate tau ~ LogNormal(log tau_nominal, 1) (the nominal learning
    rate of the runs; LogUniform(1e-3, 0.5) without it) and one log_m0_<name> per run,
    Normal(-log(N)/2, 2) (a random init has |m0| ~ N^-1/2). ``priors`` replaces or adds
    any of them. ``max_steps`` bounds each ODE solve: proposals whose dynamics would need
    more (near the SGD stability limit) are rejected.
    """
    kernel = LinearVAEODEKernel(
        {"lam": lam, "M": M, "max_steps": max_steps}, where="fit_learning_curves"
    )
    tau_prior = (
        dist.LogUniform(1e-3, 0.5)
        if tau_nominal is None
        else dist.LogNormal(float(np.log(tau_nominal)), 1.0)
    )
    params: dict[str, Any] = {
        "rho": dist.LogNormal(0.0, 1.0),
        "eta": dist.LogNormal(0.0, 1.0),
        "tau": tau_prior,
    }
    datasets = []
    for c in curves:
        opts = {
            "observable": c.observable,
            "beta": float(c.beta),
            "N": c.N,
            "schedule": c.schedule,
            "log_m0": f"log_m0_{c.name}",
        }
        if c.gamma is not None:
            opts["gamma"] = float(c.gamma)
        params[f"log_m0_{c.name}"] = dist.Normal(-0.5 * np.log(c.N), 2.0)
        model = kernel.dataset_model(opts, where=f"curve {c.name!r}")
        datasets.append(
            Dataset(
                c.t,
                c.y,
                sigma=c.sigma,
                model=model.fn,
                name=c.name,
                units={"x": "1", "y": model.y_units},
                adaptive_cost=model.adaptive_cost,
            )
        )
    params.update(priors or {})
    init = {"rho": 1.0, "eta": 1.0, "tau": 0.05 if tau_nominal is None else tau_nominal}
    for c in curves:
        init[f"log_m0_{c.name}"] = -0.5 * float(np.log(c.N))
        if c.sigma is None:
            init[f"sigma_{c.name}"] = 0.05 * float(np.std(c.y)) + 1e-6
    init = {k: v for k, v in init.items() if k in params or k.startswith("sigma_")}
    init = {k: v for k, v in init.items() if not isinstance(params.get(k), float)}
    problem = Problem(params, datasets, init=init, name="linear VAE learning curves")
    return problem, kernel


def beta_pc_posterior(result) -> np.ndarray:
    """Posterior draws of the collapse threshold beta_PC (from the predictions group)."""
    return np.asarray(result.tree["predictions"]["beta_pc"].values).ravel()


@dataclass(frozen=True)
class SizeSeries:
    """Final-state measurements versus dataset size at one beta.

    ``alpha``: n/N; ``y``: the observable (eps_g | rate_test | distortion_test |
    rate_train | distortion_train | q | m | nu ...); ``beta``: KL weight; ``name``: id;
    ``sigma``: known noise (default estimated; inflate it near alpha_c).
    """

    alpha: Any
    y: Any
    beta: float
    name: str
    observable: str = "eps_g"
    sigma: Any = None


def sizes_problem(
    series: Sequence[SizeSeries], *, priors: Mapping[str, Any] | None = None
) -> tuple[Problem, LinearVAEReplicaKernel]:
    """The dataset-size problem: rho, eta ~ LogNormal(0, 1) and lam ~ LogNormal(0, 1.5)
    free; lam is the weight decay of the summed objective (per sample lam / alpha)."""
    kernel = LinearVAEReplicaKernel({}, where="fit_dataset_sizes")
    params: dict[str, Any] = {
        "rho": dist.LogNormal(0.0, 1.0),
        "eta": dist.LogNormal(0.0, 1.0),
        "lam": dist.LogNormal(0.0, 1.5),
    }
    datasets = []
    for s in series:
        model = kernel.dataset_model(
            {"observable": s.observable, "beta": float(s.beta)}, where=f"series {s.name!r}"
        )
        datasets.append(
            Dataset(
                s.alpha,
                s.y,
                sigma=s.sigma,
                model=model.fn,
                name=s.name,
                units={"x": "1", "y": model.y_units},
            )
        )
    params.update(priors or {})
    return Problem(params, datasets, name="linear VAE versus dataset size"), kernel


def beta_c_band(result, alpha, *, prob: float = 0.95, max_draws: int = 400) -> dict:
    """Posterior median and equal-tailed ``prob`` band of beta_c at ``alpha`` (array)."""
    rho, eta, lam = (np.asarray(result.draws(k)) for k in ("rho", "eta", "lam"))
    idx = np.unique(np.linspace(0, rho.size - 1, min(rho.size, max_draws)).astype(int))
    f = jax.jit(jax.vmap(lambda r, e, l: vae.beta_c(jnp.asarray(alpha, jnp.float64), r, e, l)))
    vals = np.asarray(f(rho[idx], eta[idx], lam[idx]))
    q = (1 - prob) / 2
    return {
        "median": np.median(vals, 0),
        "lower": np.quantile(vals, q, 0),
        "upper": np.quantile(vals, 1 - q, 0),
    }


def games_problem(
    *, rho_x=None, rho_y=None, value=None, game: str = "simplex", prior: Any = None
) -> tuple[Problem, MatrixGameKernel]:
    """Aspect ratio gamma (N/M for simplex games) from per-game support fractions
    ``rho_x`` / ``rho_y`` and/or normalised values (arrays, one entry per game).
    Prior default: LogUniform(0.05, 20)."""
    kernel = MatrixGameKernel({"game": game}, where="fit_game_supports")
    datasets = []
    for name, y in (("rho_x", rho_x), ("rho_y", rho_y), ("value", value)):
        if y is None:
            continue
        y = np.asarray(y, float)
        model = kernel.dataset_model({"observable": name}, where=name)
        datasets.append(
            Dataset(
                np.arange(y.size, dtype=float),
                y,
                model=model.fn,
                name=f"games_{name}",
                units={"x": "1", "y": "1"},
            )
        )
    params = {"gamma": dist.LogUniform(0.05, 20.0) if prior is None else prior}
    return Problem(params, datasets, name="random matrix games"), kernel
