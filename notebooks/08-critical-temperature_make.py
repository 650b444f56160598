"""Build notebooks/08-critical-temperature.ipynb (run: python notebooks/08-critical-temperature_make.py).

The notebook reads its two fits from notebooks/results/critical-temperature/, written by
notebooks/08-critical-temperature_fits.py; the tests that make the same fits afresh
(tests/criticality/test_ising_fss.py, tests/criticality/test_fss.py) fail if the shipped
files no longer match them."""

from pathlib import Path

import nbformat as nbf

cells = []


def md(s):
    cells.append(nbf.v4.new_markdown_cell(s.strip()))


def code(s):
    cells.append(nbf.v4.new_code_cell(s.strip()))


md("""
# 08 - Critical temperature from finite-size data

Bayesian finite-size scaling (Harada, PRE 84, 056704 (2011)): the data of all sizes L
should collapse onto one curve, `A_L(T) L^-c2 = f((T - T_c) L^c1)`, with `f` a Gaussian
process. NUTS gives the posterior of `T_c`, `c1 = 1/nu` and `c2` together with the GP
hyperparameters. Three data sets, all shipped (scripts and seeds in `data/ising/` and
`data/criticality/`):

1. the 2-D Ising model (bayesfit's Swendsen-Wang simulation) - a real transition;
2. a temperature-scaled Markov chain - a smooth crossover, the negative control;
3. (described) a small autoregressive model of UPOS tag sequences trained on UD English
   EWT, swept in sampling temperature as in Nakaishi et al. (arXiv 2406.05335).

The NUTS fits of 1 and 2 (about a minute of compilation and sampling) are read from
`results/critical-temperature/`, written by `08-critical-temperature_fits.py` with the
settings `OPTS` below; `tests/criticality/test_ising_fss.py` and
`tests/criticality/test_fss.py` make the same fits afresh and fail if these files no longer
match them. Everything else (intervals, checks, collapses, GP bands) is computed here.
""")
code("""
from pathlib import Path
import numpy as np
import matplotlib.pyplot as plt
import bayesfit
from bayesfit.criticality import (T_CRITICAL, FSSModel, FSSResult, SamplerOptions,
                                  ScalingCheck, ScalingPriors, fss_table, plot_collapse,
                                  plot_raw, read_fss_csv)
from bayesfit.io import read_table

DATA = Path("..") / "data"
FITS = Path("results") / "critical-temperature"
OPTS = SamplerOptions(num_warmup=300, num_samples=300, num_chains=1, n_starts=256, n_adam=100)
RUNS = read_table(FITS / "fits.csv").columns   # divergences; row 0: Ising, 1: Markov


def shipped(name, row, tables, models, shared):
    # the FSSResult that fit_fss_joint(tables, models, shared, OPTS) made, from its draws
    draws = {k: v[None, :] for k, v in read_table(FITS / f"{name}_draws.csv").columns.items()}
    return FSSResult(list(tables), list(models), tuple(shared), draws,
                     int(RUNS["divergences"][row]), OPTS)
""")
md("""
## 1. Ising: Binder cumulant and susceptibility share T_c and nu

The Binder cumulant is dimensionless (`c2 = 0`); the susceptibility scales with
`c2 = gamma/nu`. Exact: `T_c = 2/ln(1+sqrt 2) = 2.2692`, `nu = 1`, `gamma/nu = 7/4`.
""")
code("""
csv = DATA / "ising" / "ising_observables.csv"
binder = read_fss_csv(csv, value="binder", error="dbinder")
chi = read_fss_csv(csv, value="susceptibility", error="dsusceptibility")
models = [FSSModel(ScalingPriors(c2=0.0)), FSSModel(ScalingPriors(c2=(0.0, 3.0)))]
# = fit_fss_joint([binder, chi], models, shared=("tc", "c1"), options=OPTS), shipped
ising = shipped("ising", 0, [binder, chi], models, ("tc", "c1"))
for name, label in [("tc", "T_c"), ("c1", "1/nu"), ("c2_1", "gamma/nu")]:
    lo, hi = ising.interval(name)
    print(f"{label:9s} median {np.median(ising.flat(name)):.4f}   95% [{lo:.4f}, {hi:.4f}]")
lo, hi = ising.interval("tc")
assert lo <= T_CRITICAL <= hi and hi - lo < 0.02
fig, ax = plt.subplots(2, 2, figsize=(10, 7))
plot_raw(binder, ax[0, 0], "Binder U"); plot_raw(chi, ax[0, 1], "chi")
plot_collapse(ising, 0, ax[1, 0], "U"); plot_collapse(ising, 1, ax[1, 1], "chi L^-c2")
fig.tight_layout()
""")
md("""
## 2. Negative control: a temperature-scaled Markov chain

`P(b|a) = softmax(W_ab / T)` has a finite correlation length at every T > 0: no
transition. chi(T) is the integrated connected correlation of sequences of length L
(the "size"). The check compares the collapse with a no-scaling model `A_L(T) = f(T)` by
predicting each size from the others (PSIS leave-one-size-out), and looks at the
posteriors of `1/nu` and `T_c`.
""")
code("""
def sweep_table(name):
    t = np.genfromtxt(DATA / "criticality" / name, delimiter=",", names=True, skip_header=1)
    return fss_table(t["size"], t["temperature"], t["chi"], t["dchi"], source=name), t

markov, markov_cols = sweep_table("markov_sweep.csv")
# = fit_fss(markov, FSSModel(), OPTS) and check_scaling(mres, n_draws=100), shipped
mres = shipped("markov", 1, [markov], [FSSModel()], ())
c = {k: float(v[0]) for k, v in read_table(FITS / "markov_check.csv").columns.items()}
mcheck = ScalingCheck(c["elpd_scaling"], c["elpd_no_scaling"], c["delta_elpd"],
                      c["delta_se"], (c["c1_lo"], c["c1_hi"]), (c["tc_lo"], c["tc_hi"]),
                      c["tc_prior_width"], c["pareto_k"])
assert mcheck.c1_interval == mres.interval("c1") and mcheck.tc_interval == mres.interval("tc")
print(mcheck.report())
assert not mcheck.scaling_supported
fig, ax = plt.subplots(1, 2, figsize=(10, 3.5))
plot_raw(markov, ax[0], "chi (Markov chain)"); plot_collapse(mres, 0, ax[1], "chi L^-c2")
fig.tight_layout()
""")
md("""
## 3. Autoregressive UPOS model swept in temperature

`data/criticality/make_sweeps.py` also trains a small autoregressive model of UPOS tags
(an MLP on the last 8 tags, trained on UD English EWT dev) and sweeps it in temperature
(`upos_sweep.csv`); the same two cells as for the Markov chain apply to that file.
""")

nb = nbf.v4.new_notebook()
nb["cells"] = cells
nb["metadata"]["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                "language": "python"}
nbf.write(nb, Path(__file__).with_name("08-critical-temperature.ipynb"))
