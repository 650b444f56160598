"""The ``matrix_game`` kernel: statistics of random min-max games versus aspect ratio.

Model file::

    [kernel]
    name = "matrix_game"
    game = "simplex"        # zero-sum game on simplices; gamma = N/M (rows/columns)
                            # or "spherical": bilinear game on spheres, gamma = M/N
    gamma = "gamma"         # parameter source (number or parameter name)

    [[datasets]]
    x = "M"                 # a per-game label (e.g. the size); the RS limit ignores it
    y = "support_x"
    observable = "rho_x"    # simplex: rho_x | rho_y | value ((N M)^(1/4) x game value)
                            # spherical: minmax | maxmin (per N)

Reference: arXiv:2409.06053; equations in bayesfit.theory.games. The paper's GAN model is
not available (see bayesfit.theory.games).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jax.numpy as jnp

from ..kernels import ForwardModel, Prediction, reject_unknown_keys
from . import games
from ._sources import choice, resolve_sources

OBSERVABLES = {"simplex": ("rho_x", "rho_y", "value"), "spherical": ("minmax", "maxmin")}
PARAMS = {"gamma": None}
SETTINGS = {"game", *PARAMS}
OPTIONS = {"observable", "x_units", "y_units", *PARAMS}


def _predict(game: str, obs: str, gamma):
    if game == "spherical":
        return (games.spherical_minmax if obs == "minmax" else games.spherical_maxmin)(gamma)
    rs = games.simplex_game_rs(gamma)
    return rs.f if obs == "value" else getattr(rs, obs)


class MatrixGameKernel:
    """Forward models of value / support fractions of sampled games."""

    def __init__(self, settings: Mapping[str, Any], *, where: str):
        reject_unknown_keys(settings, SETTINGS, where=where, what="[kernel]",
                            kernel="matrix_game")
        self.game = choice(settings, "game", tuple(OBSERVABLES), "simplex", where=where)
        self.sources = resolve_sources(settings, PARAMS, where=where)
        self.explicit = {k: v for k, v in self.sources.items() if k in settings}

    def dataset_model(self, options: Mapping[str, Any], *, where: str) -> ForwardModel:
        reject_unknown_keys(options, OPTIONS, where=where, what="dataset", kernel="matrix_game")
        names = OBSERVABLES[self.game]
        obs = choice(options, "observable", names, names[0], where=where)
        src = resolve_sources(options, PARAMS, where=where, inherited=self.explicit)
        game = self.game

        def fn(params, x):
            y = _predict(game, obs, src["gamma"](params))
            return y + jnp.zeros_like(jnp.asarray(x, jnp.float64))

        return ForwardModel(
            fn=fn,
            x_units=options.get("x_units", "1"),
            y_units="1",
            description=f"{game} random game: {obs} (RS, gamma = "
            f"{'N/M' if game == 'simplex' else 'M/N'})",
        )

    def predictions(self) -> dict[str, Prediction]:
        g, game = self.sources["gamma"], self.game
        return {
            name: Prediction(
                fn=lambda p, grid=None, n=name: _predict(game, n, g(p)),
                description=f"{game} game {name} at the posterior gamma",
            )
            for name in OBSERVABLES[game]
        }


def build_matrix_game(settings: Mapping[str, Any], *, where: str) -> MatrixGameKernel:
    """Registry factory for ``matrix_game`` (see the module docstring)."""
    return MatrixGameKernel(settings, where=where)
