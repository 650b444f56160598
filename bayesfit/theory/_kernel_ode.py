"""The ``linear_vae_ode`` kernel: learning curves of online SGD on the linear beta-VAE.

Model file::

    [kernel]
    name = "linear_vae_ode"
    M = 1                  # latents (M* = M_star factors, default 1)
    schedule = "constant"  # or "linear", "tanh" (beta(t) = beta tanh(gamma t))
    # any parameter source: rho, eta, tau, beta, gamma, lam (default 0), log_m0,
    # Q0, E0 (default 1), R0 (0), D0 (1); a number fixes it, a string names a parameter
    # rtol = 1e-6, atol = 1e-8, max_steps = 8192: ODE solver controls

    [[datasets]]
    x = "t"                # time in SGD steps / N (>= 0)
    y = "eps_g"
    observable = "eps_g"   # eps_g | kl | recon | loss | m | d | Q | E | R | D
    beta = 1.5             # per-run settings override the kernel's
    log_m0 = "log_m0_run1" # per-run nuisance: log of the initial teacher overlap
    N = 1000               # input dimension: recon/loss include (N eta + rho)/2

Reference: arXiv:2310.15440; equations in bayesfit.theory.vae.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import diffrax
import jax.numpy as jnp
import numpy as np

from ..errors import ModelFileError
from ..kernels import ForwardModel, Prediction, reject_unknown_keys
from . import vae
from ._sources import (
    choice,
    number_list,
    positive_int,
    resolve_sources,
)

PARAMS = {
    "rho": None,
    "eta": None,
    "tau": None,
    "beta": None,
    "gamma": None,
    "lam": 0.0,
    "log_m0": None,
    "Q0": 1.0,
    "E0": 1.0,
    "R0": 0.0,
    "D0": 1.0,
}
OBSERVABLES = {
    "eps_g": "1",
    "kl": "nat",
    "recon": "nat",
    "loss": "nat",
    "m": "1",
    "d": "1",
    "Q": "1",
    "E": "1",
    "R": "1",
    "D": "1",
}
SCHEDULES = {"constant": vae.Constant, "linear": vae.Linear, "tanh": vae.Tanh}
SETTINGS = {"M", "M_star", "schedule", "coords", "rtol", "atol", "max_steps", "beta_grid", *PARAMS}
OPTIONS = {"observable", "schedule", "N", "x_units", "y_units", *PARAMS}


def _observable(name, ov, p, beta, N):
    if name == "eps_g":
        return vae.generalization_error(ov, p["rho"])
    if name == "kl":
        return vae.kl_term(ov, p["rho"], p["eta"])
    if name in ("recon", "loss"):
        rec = vae.reconstruction_term(ov, p["rho"], p["eta"], N=N)
        return rec if name == "recon" else rec + beta * vae.kl_term(ov, p["rho"], p["eta"])
    a = getattr(ov, name)
    return a[:, 0] if name == "D" else a[:, 0, 0]


class LinearVAEODEKernel:
    """Forward models for logged learning curves; see the module docstring."""

    def __init__(self, settings: Mapping[str, Any], *, where: str):
        reject_unknown_keys(settings, SETTINGS, where=where, what="[kernel]",
                            kernel="linear_vae_ode")
        self.M = positive_int(settings, "M", 1, where=where)
        self.M_star = positive_int(settings, "M_star", 1, where=where)
        self.schedule = choice(settings, "schedule", SCHEDULES, "constant", where=where)
        default = "direct" if self.M == 1 else "log_cholesky"
        coords = choice(settings, "coords", ("direct", "log_cholesky"), default, where=where)
        self.coords = vae.Direct() if coords == "direct" else vae.LogCholesky()
        rtol, atol = settings.get("rtol", 1e-6), settings.get("atol", 1e-8)
        if not all(isinstance(v, float | int) and v > 0 for v in (rtol, atol)):
            raise ModelFileError(f"{where}: rtol and atol must be positive numbers.")
        self.controller = diffrax.PIDController(rtol=float(rtol), atol=float(atol))
        self.max_steps = positive_int(settings, "max_steps", 8192, where=where)
        self.beta_grid = number_list(settings, "beta_grid", [0.05, 3.0, 60], 3, where=where)
        self.sources = resolve_sources(settings, PARAMS, where=where)
        self.explicit = {k: v for k, v in self.sources.items() if k in settings}

    def dataset_model(self, options: Mapping[str, Any], *, where: str) -> ForwardModel:
        reject_unknown_keys(options, OPTIONS, where=where, what="dataset",
                            kernel="linear_vae_ode")
        obs = choice(options, "observable", OBSERVABLES, "eps_g", where=where)
        if self.M > 1 and obs not in ("eps_g", "kl", "recon", "loss"):
            raise ModelFileError(
                f"{where}: observable {obs!r} needs M = 1; with M = "
                f"{self.M} use eps_g, kl, recon or loss."
            )
        kind = choice(options, "schedule", SCHEDULES, self.schedule, where=where)
        N = options.get("N")
        if N is not None and (isinstance(N, bool) or not isinstance(N, int | float) or N <= 0):
            raise ModelFileError(f"{where}: N = {N!r} must be a positive number (input dim).")
        defaults = dict(PARAMS)
        if N is not None:  # a random init has |m0| ~ 1/sqrt(N)
            defaults["log_m0"] = -0.5 * float(np.log(N))
        src = resolve_sources(options, defaults, where=where, inherited=self.explicit)
        M, M_star, coords = self.M, self.M_star, self.coords
        controller, max_steps = self.controller, self.max_steps
        needed = [k for k in src if not (k == "gamma" and kind == "constant")]

        def fn(params, x):
            p = {k: src[k](params) for k in needed}
            schedule = (
                vae.Constant(p["beta"])
                if kind == "constant"
                else SCHEDULES[kind](p["beta"], p["gamma"])
            )
            init = vae.initial_overlaps(
                jnp.exp(p["log_m0"]),
                M=M,
                M_star=M_star,
                Q0=p["Q0"],
                E0=p["E0"],
                R0=p["R0"],
                D0=p["D0"],
            )
            x = jnp.asarray(x, jnp.float64)
            order = jnp.argsort(x)
            tr = vae.solve_overlaps(
                x[order],
                init,
                rho=p["rho"],
                eta=p["eta"],
                tau=p["tau"],
                schedule=schedule,
                lam=p["lam"],
                coords=coords,
                stepsize_controller=controller,
                max_steps=max_steps,
            )
            y = _observable(obs, tr.overlaps, p, tr.beta, N)
            return jnp.zeros_like(y).at[order].set(y)

        return ForwardModel(
            fn=fn,
            x_units="1",
            y_units=options.get("y_units", OBSERVABLES[obs]),
            description=f"linear VAE online-SGD ODE: {obs}(t), t = steps/N, "
            f"{kind} beta schedule, M = {M}",
            adaptive_cost=True,
        )

    def predictions(self) -> dict[str, Prediction]:
        s = self.sources

        def rho_max(params):
            return jnp.max(jnp.atleast_1d(s["rho"](params)))

        lo, hi, num = self.beta_grid
        grid = np.linspace(lo, hi, int(num))
        return {
            "beta_pc": Prediction(
                fn=lambda p, g=None: vae.beta_pc(rho_max(p), s["eta"](p), s["lam"](p)),
                description="posterior-collapse threshold beta_PC = (rho+eta)/(1+lam) - "
                "lam/(rho+eta)",
            ),
            "beta_opt": Prediction(
                fn=lambda p, g=None: vae.optimal_beta(rho_max(p), s["eta"](p), s["lam"](p)),
                description="beta minimising the fixed-point epsilon_g (tau -> 0)",
            ),
            "eps_g_star": Prediction(
                fn=lambda p, g: vae.eps_g_star(
                    rho_max(p), s["eta"](p), jnp.asarray(g), s["lam"](p), M=self.M
                ),
                grid=grid,
                grid_name="beta",
                grid_units="1",
                description="fixed-point generalization error versus beta (tau -> 0)",
            ),
        }


def build_linear_vae_ode(settings: Mapping[str, Any], *, where: str) -> LinearVAEODEKernel:
    """Registry factory for ``linear_vae_ode`` (see the module docstring)."""
    return LinearVAEODEKernel(settings, where=where)
