"""Makes the fits that notebooks/02-kcu4p3o12.ipynb reads (a few minutes each):

    .venv/bin/python notebooks/02-kcu4p3o12_make.py            # joint.nc
    .venv/bin/python notebooks/02-kcu4p3o12_make.py --all      # also chi_only, j2_zero (the notebook reads all three)

The fits of the KCu4P3O12 study (tests/studies/test_kcu4p3o12.py, same method, settings
and seed): the joint fit of chi and the magnetization curves (with the kernel's
predictions: heat capacity, entropy, spin gap), and with --all chi alone and the
three-coupling model J2 = 0, each by replica exchange with the noise levels at the minimum
of the Bayesian free energy (METHODS below: the main job's method at shorter settings).
Written to notebooks/results/kcu4p3o12/<name>.nc.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import bayesfit
from bayesfit.inference.remc import REMC
from bayesfit.io import load_model

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "kcu4p3o12"
# the main job's method (models/kcu4p3o12.toml) at shorter settings: replica exchange from a
# Gaussian reference fitted to the posterior, replicas from the measured barrier, noise
# levels where dF/dsigma = 0. Chi alone has a second (ferromagnetic-J4) optimum a few nats
# below the best, which a Gaussian reference would never visit: that fit keeps a second
# ladder from the prior ("stabilized", the library's default)
_COMMON = dict(leapfrog_steps=4, mass="dense", noise="free_energy", noise_update="stationary")
METHODS = {"joint": REMC(reference="gaussian", **_COMMON),
           "chi_only": REMC(reference="stabilized", **_COMMON),
           "j2_zero": REMC(reference="gaussian", **_COMMON)}
RUN = dict(chains=2, draws=300, warmup=300, seed=1, progress=False)


def fit(name, spec, parameters, datasets, *, predictions=None, predictive=False):
    problem = bayesfit.Problem(parameters, datasets, units=spec.units)
    return bayesfit.fit(problem, METHODS[name], predictive=predictive,
                        predictions=predictions, **RUN)


def main() -> None:
    spec = load_model(HERE.parent / "models" / "kcu4p3o12.toml")
    data = spec.read_datasets()
    chi = [d for d in data if d.name == "chi"]
    jobs = {
        "joint": lambda: fit("joint", spec, spec.parameters, data,
                             predictions=spec.kernel.predictions(), predictive=True),
        "chi_only": lambda: fit("chi_only", spec, spec.parameters, chi),
        "j2_zero": lambda: fit("j2_zero", spec, {**spec.parameters, "J2": 0.0}, data),
    }
    for name, job in jobs.items():
        if name != "joint" and "--all" not in sys.argv:
            continue
        t = time.perf_counter()
        result = job()
        result.tree.attrs["made_by"] = "notebooks/02-kcu4p3o12_make.py"
        print(f"{name}: {time.perf_counter() - t:.0f} s -> {result.save(OUT / f'{name}.nc')}")


if __name__ == "__main__":
    main()
