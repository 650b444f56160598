"""Bayesian hierarchical comparison of training methods across targets and dimensions.

For a table of runs (one row per target, n, method and seed, holding a positive metric
such as the exact ``KL(p||q)``), the model is

    log y_i  ~ StudentT(nu = 4, theta[inst_i] + gap[t_i, m_i] + growth[t_i, m_i] x_i,
                        sigma[m_i]),          x_i = log(n_i / n_ref),
    gap[t, ref] = growth[t, ref] = 0,
    gap[t, m] = mu_gap[m] + tau_gap z[t, m],  growth[t, m] likewise,

with one free level ``theta`` per instance (target, n) that absorbs how hard the instance
is for the reference method. So ``gap[t, m]`` is the log of the metric ratio method /
reference at ``n_ref``, and ``growth[t, m]`` the exponent of how that ratio scales with
``n`` (ratio ~ n**growth): ``P(growth > 0)`` is the posterior probability that the gap
grows with the dimension. ``sigma[m]`` is each method's seed-to-seed scatter on the log
scale, a stability measure. The Student-t likelihood keeps single collapsed seeds from
dominating.

Results are an ArviZ ``xarray.DataTree`` (``arviz.from_numpyro``), saved to netCDF
atomically with :func:`save_tree`.

Reference: A. Gelman et al., *Bayesian Data Analysis*, 3rd ed., ch. 5 (hierarchical
models); docs/specs/ebm.md section 1.6.
"""

from __future__ import annotations

import os

import jax
import jax.numpy as jnp
import numpy as np
import numpyro
import numpyro.distributions as dist
import pandas as pd
from numpyro.infer import MCMC, NUTS

from .._atomic import write_atomic
from ._errors import OptionError

_FLOOR = 1e-12


def _model(inst, target, method, x, log_y=None, *, n_inst, n_target, n_method, ref,
           centre):
    mu_gap = numpyro.sample("mu_gap", dist.Normal(0.0, 3.0).expand([n_method - 1]))
    mu_growth = numpyro.sample("mu_growth", dist.Normal(0.0, 3.0).expand([n_method - 1]))
    tau_gap = numpyro.sample("tau_gap", dist.HalfNormal(1.0))
    tau_growth = numpyro.sample("tau_growth", dist.HalfNormal(1.0))
    z_gap = numpyro.sample("z_gap", dist.Normal(0, 1).expand([n_target, n_method - 1]))
    z_growth = numpyro.sample("z_growth", dist.Normal(0, 1).expand([n_target, n_method - 1]))
    theta = numpyro.sample("theta", dist.Normal(centre, 5.0).expand([n_inst]))
    sigma = numpyro.sample("sigma", dist.HalfNormal(2.0).expand([n_method]))

    def insert_ref(a):  # (T, M-1) -> (T, M) with zeros at the reference column
        zeros = jnp.zeros(a.shape[:-1] + (1,))
        return jnp.concatenate([a[..., :ref], zeros, a[..., ref:]], axis=-1)

    gap = numpyro.deterministic("gap", insert_ref(mu_gap + tau_gap * z_gap))
    growth = numpyro.deterministic("growth", insert_ref(mu_growth + tau_growth * z_growth))
    numpyro.deterministic("mean_gap", insert_ref(mu_gap[None])[0])
    numpyro.deterministic("mean_growth", insert_ref(mu_growth[None])[0])
    loc = theta[inst] + gap[target, method] + growth[target, method] * x
    numpyro.sample("log_y", dist.StudentT(4.0, loc, sigma[method]), obs=log_y)


def compare_methods(runs: pd.DataFrame, *, metric: str = "kl_pq", reference: str,
                    key=None, warmup: int = 500, samples: int = 500, chains: int = 2,
                    progress: bool = False):
    """Fit the hierarchical gap model to ``runs`` and return an ArviZ DataTree.

    Args:
        runs: one row per run with columns ``target``, ``n``, ``method``, ``seed`` and
            ``metric`` (positive; values below 1e-12 are floored).
        metric: column to compare (e.g. ``"kl_pq"``, ``"kl_qp"``, ``"energy_error"``).
        reference: method label every gap is measured against.
        key: PRNG key for NUTS (default ``jax.random.key(0)``).
        warmup, samples, chains: NUTS settings (chains run sequentially).

    Returns:
        ``xarray.DataTree`` with groups ``posterior``, ``sample_stats``,
        ``observed_data`` and ``constant_data``; posterior variables ``gap``,
        ``growth`` (target, method), ``mean_gap``, ``mean_growth`` (method),
        ``sigma`` (method), and attrs naming the metric, reference and ``n_ref``.
    """
    import arviz as az

    need = {"target", "n", "method", metric}
    missing = need - set(runs.columns)
    if missing:
        raise OptionError(f"compare_methods: runs lack columns {sorted(missing)}.")
    methods = list(dict.fromkeys(runs["method"]))
    if reference not in methods:
        raise OptionError(
            f"compare_methods: reference {reference!r} is not among the methods {methods}."
        )
    targets = list(dict.fromkeys(runs["target"]))
    inst_keys = list(dict.fromkeys(zip(runs["target"], runs["n"], strict=True)))
    inst = np.array([inst_keys.index(k) for k in zip(runs["target"], runs["n"], strict=True)])
    t_idx = np.array([targets.index(t) for t in runs["target"]])
    m_idx = np.array([methods.index(m) for m in runs["method"]])
    n = runs["n"].to_numpy(float)
    n_ref = float(np.exp(np.mean(np.log(np.unique(n)))))
    x = np.log(n / n_ref)
    log_y = np.log(np.maximum(runs[metric].to_numpy(float), _FLOOR))
    kw = dict(n_inst=len(inst_keys), n_target=len(targets), n_method=len(methods),
              ref=methods.index(reference), centre=float(np.mean(log_y)))
    mcmc = MCMC(NUTS(_model, target_accept_prob=0.9), num_warmup=warmup,
                num_samples=samples, num_chains=chains, chain_method="sequential",
                progress_bar=progress)
    mcmc.run(jax.random.key(0) if key is None else key, jnp.asarray(inst),
             jnp.asarray(t_idx), jnp.asarray(m_idx), jnp.asarray(x), jnp.asarray(log_y),
             **kw)
    others = [m for m in methods if m != reference]
    coords = {"target": targets, "method": methods, "other": others,
              "instance": [f"{t}/n={k}" for t, k in inst_keys], "run": np.arange(len(x))}
    dims = {"gap": ["target", "method"], "growth": ["target", "method"],
            "mean_gap": ["method"], "mean_growth": ["method"], "sigma": ["method"],
            "mu_gap": ["other"], "mu_growth": ["other"], "z_gap": ["target", "other"],
            "z_growth": ["target", "other"], "theta": ["instance"], "log_y": ["run"],
            "n": ["run"], "x": ["run"], "target_index": ["run"], "method_index": ["run"]}
    tree = az.from_numpyro(
        mcmc, coords=coords, dims=dims,
        constant_data={"n": n, "x": x, "target_index": t_idx, "method_index": m_idx},
    )
    tree.attrs.update({"metric": metric, "reference": reference, "n_ref": n_ref,
                       "model": "log y ~ StudentT(4, theta[inst] + gap + growth log(n/n_ref))"})
    return tree


def gap_summary(tree) -> pd.DataFrame:
    """Posterior summary per target and method: median and 90% interval of the gap
    factor ``exp(gap)``, the growth exponent, and ``P(gap > 0)``, ``P(growth > 0)``."""
    post = tree["posterior"]
    rows = []
    for t in post["gap"].coords["target"].values:
        for m in post["gap"].coords["method"].values:
            g = post["gap"].sel({"target": t, "method": m}).values.ravel()
            s = post["growth"].sel({"target": t, "method": m}).values.ravel()
            if np.all(g == 0) and np.all(s == 0):
                continue
            q = np.quantile
            rows.append({
                "target": t, "method": m,
                "gap_factor": float(np.exp(np.median(g))),
                "gap_lo": float(np.exp(q(g, 0.05))), "gap_hi": float(np.exp(q(g, 0.95))),
                "P(gap>0)": float(np.mean(g > 0)),
                "growth": float(np.median(s)), "growth_lo": float(q(s, 0.05)),
                "growth_hi": float(q(s, 0.95)), "P(growth>0)": float(np.mean(s > 0)),
            })
    return pd.DataFrame(rows)


def save_tree(tree, path: str | os.PathLike) -> str:
    """Write ``tree`` to netCDF atomically (:func:`bayesfit._atomic.write_atomic`: a temp
    file in the same folder, then ``os.replace``). Returns the path."""
    write_atomic(path, lambda p: tree.to_netcdf(p, engine="h5netcdf"))
    return os.fspath(path)


def plot_comparison(tree, folder: str | os.PathLike) -> list[str]:
    """Forest plot of ``gap`` and ``growth`` and distribution plots of ``mean_gap`` and
    ``mean_growth`` (ArviZ 1.x ``plot_forest`` / ``plot_dist``), saved as PNGs in
    ``folder``. Returns the file paths."""
    import arviz as az
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    folder = os.fspath(folder)
    os.makedirs(folder, exist_ok=True)
    ref = tree.attrs.get("reference")
    others = [m for m in tree["posterior"]["gap"].coords["method"].values if m != ref]
    out = []
    pc = az.plot_forest(tree, var_names=["gap", "growth"], coords={"method": others},
                        combined=True, backend="matplotlib")
    out.append(os.path.join(folder, "forest_gap_growth.png"))
    pc.savefig(out[-1], dpi=110, bbox_inches="tight")
    plt.close("all")
    pc = az.plot_dist(tree, var_names=["mean_gap", "mean_growth"],
                      coords={"method": others}, backend="matplotlib")
    out.append(os.path.join(folder, "dist_mean_gap_growth.png"))
    pc.savefig(out[-1], dpi=110, bbox_inches="tight")
    plt.close("all")
    return out
