"""``fit``: run an inference method on a problem and package the result."""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from typing import Any

import jax
import numpy as np

from .._progress import stage
from ..errors import BayesfitError
from ..results._checks import format_block
from ..results._checks import record as record_diagnostics
from ..results._predict import predict
from ..results._result import Result
from ..results._tree import build_tree
from ._method import Method
from ._optima import add_sampled_weights
from ._registry import make_method


def fit(
    problem,
    method: Any = "nuts",
    *,
    chains: int = 4,
    draws: int = 1000,
    warmup: int = 1000,
    seed: int = 0,
    progress: bool | None = None,
    log_likelihood: bool = True,
    predictive: bool = True,
    predictions: Mapping[str, Any] | None = None,
) -> Result:
    """Sample (or optimise) the posterior of ``problem``.

    Convergence diagnostics are checked at the end (:mod:`bayesfit.results._checks`); the
    failures go to ``result.tree.attrs["diagnostics_failed"]`` and a ``RuntimeWarning``.

    Parameters
    ----------
    method:
        An options object (``bayesfit.NUTS(dense_mass=True)``, ``bayesfit.Emcee()``,
        ``bayesfit.MAP()``, ``bayesfit.REMC(...)``) or its name (``"nuts"``, ...).
    chains, draws, warmup:
        Independent chains (ensembles for emcee, independent runs for REMC), kept draws per
        chain, and warm-up (adaptation / burn-in) iterations per chain.
    seed:
        Seed of every random choice: the same seed gives the same result.
    progress:
        Progress bars; ``None`` shows them when stderr is a terminal.
    log_likelihood:
        Store pointwise log likelihoods (group ``log_likelihood``: one variable per
        dataset and, with several datasets, ``all_data`` over every point), so that
        ``arviz.loo(result.tree)`` (one dataset) or ``arviz.loo(result.tree,
        var_name="all_data")`` and ``arviz.compare`` work.
    predictive:
        Store posterior predictive draws of every dataset.
    predictions:
        ``{name: bayesfit.kernels.Prediction}`` (a kernel's ``predictions()``): derived
        quantities evaluated on the posterior draws and stored as the result group
        ``predictions`` (:meth:`Result.predictions_table`, :func:`plot_prediction`).
    """
    if isinstance(method, str):
        method = make_method(method)
    if not isinstance(method, Method):
        raise BayesfitError(
            f"method must be a bayesfit method (bayesfit.NUTS(), bayesfit.MAP(), ...) or its "
            f"name, got {type(method).__name__}; a method of your own subclasses "
            "bayesfit.inference.Method.")
    for name, v in (("chains", chains), ("draws", draws)):
        if int(v) < 1:
            raise BayesfitError(f"{name} must be >= 1, got {v}.")
    if int(warmup) < 0:
        raise BayesfitError(f"warmup must be >= 0, got {warmup}.")
    key_run, key_pp = jax.random.split(jax.random.PRNGKey(int(seed)))
    out = method.run(problem, chains=int(chains), draws=int(draws), warmup=int(warmup),
                     key=key_run, progress=progress)
    target = out.problem if out.problem is not None else problem
    optima = out.groups.get("optima")
    if optima is not None and optima.attrs.get("sampled", 1) and \
            optima.sizes["z"] == out.z.shape[-1]:
        optima, labels = add_sampled_weights(optima, out.z)
        out.groups["optima"] = optima
        if out.sample_stats:  # which optimum each draw is nearest to
            out.sample_stats["optimum"] = labels
    config = {
        "method": method.name,
        "options": method.options(),
        "chains": chains, "draws": draws, "warmup": warmup, "seed": seed,
        "parameters": {k: describe_prior(v) for k, v in target.free.items()},
        "datasets": [d.name for d in target.datasets],
    }
    with stage("results: log likelihood, predictive draws, predictions, diagnostics",
               progress):
        result, failed = _package(target, out, key_pp, method, config, log_likelihood,
                                        predictive, predictions)
    if failed:
        warnings.warn(format_block(failed), RuntimeWarning, stacklevel=2)
    return result


def describe_prior(prior) -> str:
    """``Uniform(low=-20, high=0)``: the prior's class and scalar arguments (a NumPyro repr
    names only the object's memory address)."""
    args = []
    for name in getattr(prior, "arg_constraints", {}):
        value = getattr(prior, name, None)
        if value is not None and np.ndim(value) == 0:
            args.append(f"{name}={float(value):.6g}")
    return f"{type(prior).__name__}({', '.join(args)})"


def _package(target, out, key_pp, method, config, log_likelihood, predictive, predictions):
    """The result of a finished run (groups, predictions) and its failed diagnostics."""
    tree = build_tree(target, out, key=key_pp, method=method.name, config=config,
                      log_likelihood=log_likelihood, predictive=predictive)
    if target.exchangeable or target.order:  # symmetries of the model, ordering constraints
        tree.attrs["exchangeable_parameters"] = json.dumps(target.exchangeable)
        tree.attrs["order"] = json.dumps([list(c) for c in target.order])
    result = Result(tree, target)
    if predictions:
        tree["predictions"] = predict(result, target, predictions).to_dataset()
    return result, record_diagnostics(tree)
