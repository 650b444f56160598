"""2-D Ising finite-size scaling from the shipped Swendsen-Wang data (data/ising/, made
by data/ising/make_ising_fss.py): joint collapse of the Binder cumulant (c2 = 0) and the
susceptibility (c2 = gamma/nu), sharing T_c and c1 = 1/nu, from L = 16, 32, 64. Exact:
T_c = 2.26919, nu = 1, gamma/nu = 7/4."""

from pathlib import Path

import bayesfit  # noqa: F401
from bayesfit.criticality import (
    T_CRITICAL,
    FSSModel,
    SamplerOptions,
    ScalingPriors,
    fit_fss_joint,
    read_fss_csv,
)
from tests.criticality.shipped import assert_same_posterior

DATA = Path(__file__).resolve().parents[2] / "data" / "ising" / "ising_observables.csv"


SIZES = (16, 32, 64)  # as notebooks/08-critical-temperature_fits.py (ISING_SIZES, why there)


def ising_tables():
    binder = read_fss_csv(DATA, value="binder", error="dbinder").select(SIZES)
    chi = read_fss_csv(DATA, value="susceptibility", error="dsusceptibility").select(SIZES)
    return binder, chi


def test_ising_collapse_locates_tc_and_exponents():
    binder, chi = ising_tables()
    models = [FSSModel(ScalingPriors(c2=0.0)), FSSModel(ScalingPriors(c2=(0.0, 3.0)))]
    res = fit_fss_joint([binder, chi], models, shared=("tc", "c1"),
                        options=SamplerOptions(num_warmup=300, num_samples=300,
                                               num_chains=1, n_starts=256, n_adam=100))
    lo, hi = res.interval("tc")
    assert lo <= T_CRITICAL <= hi and hi - lo < 0.02, (lo, hi)
    lo, hi = res.interval("c1")  # 1/nu = 1
    assert lo - 0.05 <= 1.0 <= hi + 0.05, (lo, hi)
    lo, hi = res.interval("c2_1")  # gamma/nu = 1.75
    assert lo - 0.05 <= 1.75 <= hi + 0.05, (lo, hi)
    # notebook 08 shows this fit from shipped draws (08-critical-temperature_fits.py)
    assert_same_posterior(res, "ising")
