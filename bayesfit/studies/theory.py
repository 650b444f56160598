"""The learning-theory use cases, fitted (problems: :mod:`bayesfit.theory.problems`).

1. :func:`fit_learning_curves`: rho, eta and the effective learning rate tau from logged
   learning curves of several runs; the result's ``predictions`` group holds beta_PC.
2. :func:`fit_dataset_sizes`: rho, eta and lam from final errors or rate-distortion
   points at several dataset sizes; predictions include beta_c(alpha).
3. :func:`fit_game_supports`: the aspect ratio of random matrix games.

Each runs :func:`bayesfit.fit` on the problem with the kernel's predictions;
``fit_kwargs`` go to :func:`bayesfit.fit`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..inference import NUTS, fit
from ..theory.problems import Curve as Curve
from ..theory.problems import SizeSeries as SizeSeries
from ..theory.problems import beta_c_band as beta_c_band
from ..theory.problems import beta_pc_posterior as beta_pc_posterior
from ..theory.problems import curves_problem as curves_problem
from ..theory.problems import games_problem as games_problem
from ..theory.problems import sizes_problem as sizes_problem

# Start from the problem's data-informed initial values (one MAP search): multi-start
# searches from prior draws spend most of their time in stiff, near-unstable corners of
# the ODE's parameter space. Dense mass: tau and the plateau nuisances are correlated.
# The ODE kernel is only reverse-differentiable: bayesfit.inference.laplace_covariance
# falls back to finite differences of the gradient by itself.
DEFAULT_NUTS = NUTS(restarts=1, dense_mass=True)


def _fit(problem, kernel, method, fit_kwargs):
    return fit(problem, method, predictions=kernel.predictions(), **fit_kwargs)


def fit_learning_curves(curves: Sequence[Curve], *, tau_nominal: float | None = None,
                        priors=None, lam=0.0, M: int = 1, method: Any = DEFAULT_NUTS,
                        **fit_kwargs):
    """Use case 1: fit :func:`curves_problem`; the result's ``predictions`` group holds
    beta_pc, beta_opt and eps_g_star(beta)."""
    problem, kernel = curves_problem(curves, tau_nominal=tau_nominal, priors=priors, lam=lam,
                                     M=M)
    return _fit(problem, kernel, method, fit_kwargs)


def fit_dataset_sizes(series: Sequence[SizeSeries], *, priors=None, method: Any = "nuts",
                      **fit_kwargs):
    """Use case 2: fit :func:`sizes_problem`; predictions include beta_c(alpha)."""
    problem, kernel = sizes_problem(series, priors=priors)
    return _fit(problem, kernel, method, fit_kwargs)


def fit_game_supports(*, rho_x=None, rho_y=None, value=None, prior=None, method: Any = "nuts",
                      **fit_kwargs):
    """Use case 3: fit :func:`games_problem`."""
    problem, kernel = games_problem(rho_x=rho_x, rho_y=rho_y, value=value, prior=prior)
    return _fit(problem, kernel, method, fit_kwargs)
