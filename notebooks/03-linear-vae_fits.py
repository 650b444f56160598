"""Make notebooks/results/03-linear-vae-sizes.nc, the dataset-size fit that notebook 03
shows (use case 2: rho, eta, lam from final errors and rates at several dataset sizes).

Run from the repository root: ``python notebooks/03-linear-vae_fits.py`` (about 2 minutes
on 2 CPU cores). The call is the one tests/studies/test_theory.py makes in
``test_use_case_2_dataset_sizes_and_collapse_boundary``, which fits afresh and checks that
this file is what the code and data make today (posterior means within 4 combined Monte
Carlo standard errors): remake the file when the theory kernel, the data or NUTS change.
"""

from __future__ import annotations

from pathlib import Path

from bayesfit.io._csv import read_table
from bayesfit.studies import theory as inf

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "examples"
OUT = ROOT / "notebooks" / "results" / "03-linear-vae-sizes.nc"
FIT = {"chains": 2, "draws": 150, "warmup": 150, "seed": 0, "progress": False,
       "predictive": False, "log_likelihood": False}


def size_series() -> list:
    """Final generalisation errors and test rates at beta = 0.7 and 1.4 (data/examples)."""
    series = []
    for beta in (0.7, 1.4):
        t = read_table(DATA / f"linear_vae_sizes_beta{beta:g}.csv")
        b = int(10 * beta)
        series.append(inf.SizeSeries(t.column("alpha"), t.column("eps_g"), beta=beta,
                                     name=f"eps{b}"))
        series.append(inf.SizeSeries(t.column("alpha"), t.column("rate"), beta=beta,
                                     name=f"rate{b}", observable="rate_test"))
    return series


def main() -> None:
    res = inf.fit_dataset_sizes(size_series(), **FIT)
    print(res.save(OUT))


if __name__ == "__main__":
    main()
