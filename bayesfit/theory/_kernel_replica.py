"""The ``linear_vae_replica`` kernel: the finite-dataset linear beta-VAE versus n/N.

Model file::

    [kernel]
    name = "linear_vae_replica"
    beta = "beta"              # optional here: enables eps_g(alpha) and plateau_edge
    alpha_grid = [0.05, 100, 60]   # log-spaced grid of the predictions
    # parameter sources: rho, eta, lam, beta, N_eff (numbers or parameter names)

    [[datasets]]
    x = "alpha"                # n/N; or input = "n" with x = n and alpha = n / N_eff
    y = "eps_g"
    observable = "eps_g"       # eps_g | q | m | D | rate_test | distortion_test |
                               # rate_train | distortion_train | nu | o2
    beta = 1.0

``lam`` is the weight decay of the summed objective (per-sample lam/alpha).
Reference: arXiv:2309.07663; equations in bayesfit.theory.vae.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from ..kernels import ForwardModel, Prediction, reject_unknown_keys
from . import vae
from ._sources import choice, number_list, resolve_sources

PARAMS = {"rho": None, "eta": None, "beta": None, "lam": None, "N_eff": None}
OBSERVABLES = {
    "eps_g": "1",
    "q": "1",
    "m": "1",
    "D": "1",
    "rate_test": "nat",
    "distortion_test": "nat",
    "rate_train": "nat",
    "distortion_train": "nat",
    "nu": "1",
    "o2": "1",
}
SETTINGS = {"alpha_grid", *PARAMS}
OPTIONS = {"observable", "input", "x_units", "y_units", *PARAMS}


class LinearVAEReplicaKernel:
    """Forward models of final errors / rate-distortion points versus dataset size."""

    def __init__(self, settings: Mapping[str, Any], *, where: str):
        reject_unknown_keys(settings, SETTINGS, where=where, what="[kernel]",
                            kernel="linear_vae_replica")
        self.sources = resolve_sources(settings, PARAMS, where=where)
        self.explicit = {k: v for k, v in self.sources.items() if k in settings}
        lo, hi, num = number_list(settings, "alpha_grid", [0.05, 100.0, 60], 3, where=where)
        self.grid = np.geomspace(lo, hi, int(num))

    def dataset_model(self, options: Mapping[str, Any], *, where: str) -> ForwardModel:
        reject_unknown_keys(options, OPTIONS, where=where, what="dataset",
                            kernel="linear_vae_replica")
        obs = choice(options, "observable", OBSERVABLES, "eps_g", where=where)
        inp = choice(options, "input", ("alpha", "n"), "alpha", where=where)
        src = resolve_sources(options, PARAMS, where=where, inherited=self.explicit)

        def fn(params, x):
            x = jnp.asarray(x, jnp.float64)
            alpha = x if inp == "alpha" else x / src["N_eff"](params)
            rho, eta = src["rho"](params), src["eta"](params)
            if obs in ("nu", "o2"):
                return getattr(vae.bbp_spectrum(alpha, rho, eta), obs)
            sol = vae.replica_solution(
                alpha, rho=rho, eta=eta, beta=src["beta"](params), lam=src["lam"](params)
            )
            return getattr(sol, obs)

        return ForwardModel(
            fn=fn,
            x_units="1" if inp == "alpha" else "samples",
            y_units=options.get("y_units", OBSERVABLES[obs]),
            description=f"linear VAE replica solution: {obs} versus "
            f"{'alpha = n/N' if inp == 'alpha' else 'n'}",
        )

    def predictions(self) -> dict[str, Prediction]:
        s = self.sources
        rle = lambda p: (s["rho"](p), s["eta"](p), s["lam"](p))  # noqa: E731
        out = {
            "beta_c": Prediction(
                fn=lambda p, g: vae.beta_c(jnp.asarray(g), *rle(p)),
                grid=self.grid,
                grid_name="alpha",
                grid_units="1",
                description="collapse boundary: collapse for beta >= beta_c(alpha)",
            ),
            "beta_opt": Prediction(
                fn=lambda p, g: jax.vmap(lambda a: vae.beta_opt(a, *rle(p)))(jnp.asarray(g)),
                grid=self.grid,
                grid_name="alpha",
                grid_units="1",
                description="beta minimising eps_g at alpha (beta_c below alpha_c)",
            ),
            "inevitable_collapse_beta": Prediction(
                fn=lambda p, g=None: vae.inevitable_collapse_beta(*rle(p))[0],
                description="sup_alpha beta_c: collapse for every dataset size above it",
            ),
            "alpha_c": Prediction(
                fn=lambda p, g=None: vae.alpha_c(s["rho"](p), s["eta"](p)),
                description="BBP detectability threshold (eta/rho)^2",
            ),
        }
        if "beta" in self.explicit:
            b = s["beta"]
            out["eps_g"] = Prediction(
                fn=lambda p, g: (
                    vae.replica_solution(
                        jnp.asarray(g), rho=s["rho"](p), eta=s["eta"](p), beta=b(p), lam=s["lam"](p)
                    ).eps_g
                ),
                grid=self.grid,
                grid_name="alpha",
                grid_units="1",
                description="generalization error versus alpha at the kernel's beta",
            )
            out["plateau_edge"] = Prediction(
                fn=lambda p, g=None: vae.plateau_edge(b(p), *rle(p)),
                description="alpha below which the model collapses (eps_g = rho)",
            )
        return out


def build_linear_vae_replica(settings: Mapping[str, Any], *, where: str):
    """Registry factory for ``linear_vae_replica`` (see the module docstring)."""
    return LinearVAEReplicaKernel(settings, where=where)
