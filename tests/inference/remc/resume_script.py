"""Run by ``test_checkpoint.py`` in a subprocess: ``python resume_script.py MODE CKPT OUT``.

MODE ``run``: a long fit that checkpoints (and gets killed by the test).
MODE ``resume``: resume from CKPT, then run the same fit uninterrupted, then resume the
finished checkpoint again; save the three draws to OUT (``.npz``).
"""

import sys

import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist

import bayesfit


def model(p, x):
    return p["A"] * jnp.exp(-x / p["tau"]) + p["c"]


def main(mode, ckpt, out):
    rng = np.random.default_rng(0)
    x = np.linspace(0, 5, 40)
    y = 2.0 * np.exp(-x / 1.3) + 0.1 + 0.05 * rng.normal(size=x.size)
    problem = bayesfit.Problem(
        {"A": dist.Uniform(0, 5), "tau": dist.LogNormal(0, 1), "c": dist.Normal(0, 1)},
        bayesfit.Dataset(x, y, model=model))
    # 1700 steps a run: the test kills it at its first checkpoint (step 100), long before
    # the end; the resumed and the fresh run then continue for 1600 steps each
    kw = dict(chains=2, draws=1500, warmup=200, seed=11, progress=False, predictive=False)
    if mode == "run":
        bayesfit.fit(problem, bayesfit.REMC(replicas=8, checkpoint=ckpt, checkpoint_every=100, chunk=50),
                     **kw)
        return
    resumed = bayesfit.fit(problem, bayesfit.REMC(replicas=8, checkpoint=ckpt,
                                                  checkpoint_every=100, chunk=50, resume=True), **kw)
    fresh = bayesfit.fit(problem, bayesfit.REMC(replicas=8, chunk=50), **kw)
    again = bayesfit.fit(problem, bayesfit.REMC(replicas=8, checkpoint=ckpt, resume=True,
                                                chunk=50), **kw)
    np.savez(out, **{f"{name}_{k}": r.posterior[k].values
                     for name, r in (("resumed", resumed), ("fresh", fresh), ("again", again))
                     for k in ("A", "tau", "c", "sigma_data")},
             resumed_logz=resumed.log_evidence, fresh_logz=fresh.log_evidence)


if __name__ == "__main__":
    main(*sys.argv[1:])
