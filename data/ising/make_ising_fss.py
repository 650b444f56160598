"""Make data/ising/ising_observables.csv: Swendsen-Wang runs of the 2-D Ising torus.

Command (from the repository root, about 10-60 minutes on a 2-core CPU, depending on the load;
the file is rewritten after every size):

    python data/ising/make_ising_fss.py [--sizes 32 48 64]

Seed: size L uses seed 1000 + L. Sizes L = 8, 16, 24, 32, 48, 64; 30 temperatures evenly
spaced in [2.19, 2.35] (units of J / k_B); 2 replicas x 1500 measured sweeps after 100
thermalisation sweeps per (L, T). Errors: jackknife over 20 blocks per replica.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

import bayesfit  # noqa: F401  (float64)
from bayesfit.criticality import ising_observables, simulate_ising

SIZES = (8, 16, 24, 32, 48, 64)
TEMPERATURES = np.linspace(2.19, 2.35, 30)
N_REPLICAS, N_SWEEPS, N_THERMALISE = 2, 1500, 100
COLUMNS = ("energy", "abs_m", "m2", "m4", "susceptibility", "binder")


def main(out=None, sizes=SIZES):
    out = Path(__file__).with_name("ising_observables.csv") if out is None else out
    # rows of the sizes not run now are kept (each size has its own seed, so a size run
    # alone gives the rows it gives in a run of all sizes)
    rows = [list(r) for r in _read(out) if int(r[0]) not in sizes]
    for size in sizes:
        t0 = time.time()
        series = simulate_ising(size, TEMPERATURES, N_SWEEPS, n_replicas=N_REPLICAS,
                                n_thermalise=N_THERMALISE, seed=1000 + size)
        obs = ising_observables(series, n_blocks=20)
        print(f"L={size}: {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
        for i, temp in enumerate(TEMPERATURES):
            vals = []
            for c in COLUMNS:
                vals += [getattr(obs, c)[i], getattr(obs, "d" + c)[i]]
            rows.append([size, temp] + vals)
        rows.sort(key=lambda r: (r[0], r[1]))
        _write(rows, out)  # after every size, so that an interrupted run keeps its rows


def _read(path):
    if not path.is_file():
        return []
    return np.atleast_2d(np.loadtxt(path, delimiter=",", skiprows=1)).tolist()


def _write(rows, out):
    header = "L,T," + ",".join(f"{c},d{c}" for c in COLUMNS)
    tmp = out.with_suffix(".tmp")
    np.savetxt(tmp, np.array(rows), delimiter=",", header=header, comments="",
               fmt=["%d", "%.6f"] + ["%.8e"] * (2 * len(COLUMNS)))
    tmp.replace(out)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=list(SIZES),
                    help="linear sizes L to (re)make; rows of other sizes are kept")
    main(sizes=tuple(ap.parse_args().sizes))
