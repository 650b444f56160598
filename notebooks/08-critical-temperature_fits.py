"""Makes the fits that notebooks/08-critical-temperature.ipynb reads (minutes):

    .venv/bin/python notebooks/08-critical-temperature_fits.py

The notebook's two finite-size-scaling fits, with the data, settings and seed of the tests
that make them afresh and fail if these files no longer match them: the joint Ising
collapse of the Binder cumulant and the susceptibility (tests/criticality/test_ising_fss.py)
and the Markov-chain negative control with its scaling check
(tests/criticality/test_fss.py). Remake them when the FSS model or its sampler changes.
Written to notebooks/results/critical-temperature/:

* ``ising_draws.csv``, ``markov_draws.csv``: posterior draws (one chain), one column per
  parameter;
* ``fits.csv``: the number of divergences of each fit (row 0 Ising, row 1 Markov chain);
* ``markov_check.csv``: the numbers of the Markov chain's
  :class:`~bayesfit.criticality.ScalingCheck`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import bayesfit  # noqa: F401  (float64)
from bayesfit.criticality import (
    FSSModel,
    SamplerOptions,
    ScalingPriors,
    check_scaling,
    fit_fss,
    fit_fss_joint,
    fss_table,
    read_fss_csv,
)
from bayesfit.io import write_table

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "notebooks" / "results" / "critical-temperature"
OPTS = SamplerOptions(num_warmup=300, num_samples=300, num_chains=1, n_starts=256, n_adam=100)
CHECK_DRAWS = 100  # draws of check_scaling's leave-one-size-out elpd


# L = 16, 32, 64 of the shipped 8..64: with L = 8, 16, 24 the collapse without corrections
# to scaling put T_c at 2.2641 +- 0.0022, 2.3 sd below the exact 2.26919 (the small sizes'
# corrections pull it down); three sizes, a factor 2 apart, keep the GP at 90 points a table
ISING_SIZES = (16, 32, 64)


def ising_tables():
    csv = ROOT / "data" / "ising" / "ising_observables.csv"
    return (read_fss_csv(csv, value="binder", error="dbinder").select(ISING_SIZES),
            read_fss_csv(csv, value="susceptibility",
                         error="dsusceptibility").select(ISING_SIZES))


ISING_MODELS = (FSSModel(ScalingPriors(c2=0.0)), FSSModel(ScalingPriors(c2=(0.0, 3.0))))


def markov_table():
    name = "markov_sweep.csv"
    t = np.genfromtxt(ROOT / "data" / "criticality" / name, delimiter=",", names=True,
                      skip_header=1)
    return fss_table(t["size"], t["temperature"], t["chi"], t["dchi"], source=name)


def main() -> None:
    ising = fit_fss_joint(ising_tables(), ISING_MODELS, shared=("tc", "c1"), options=OPTS)
    markov = fit_fss(markov_table(), FSSModel(), OPTS)
    check = check_scaling(markov, n_draws=CHECK_DRAWS)
    print(check.report())
    header = [f"{OPTS}", "posterior draws of one chain, written by "
              "notebooks/08-critical-temperature_fits.py"]
    for name, res in (("ising", ising), ("markov", markov)):
        write_table(OUT / f"{name}_draws.csv", {k: v[0] for k, v in res.draws.items()},
                    header, digits=17)
    write_table(OUT / "fits.csv",
                {"divergences": np.array([ising.divergences, markov.divergences], float)},
                [f"{OPTS}; divergences of row 0: Ising joint fit, row 1: Markov chain"])
    write_table(OUT / "markov_check.csv",
                {k: np.array([v], float) for k, v in check.row().items()},
                [f"check_scaling(n_draws={CHECK_DRAWS}) of the Markov-chain fit; elpd in nats"],
                digits=17)

if __name__ == "__main__":
    main()
