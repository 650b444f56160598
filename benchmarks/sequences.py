"""Benchmark: MI curve, lags 1..1000, on 10^6 tokens over 18 symbols, 200 bootstrap replicates.

bayesfit (``bayesfit.sequences.bootstrap_curve``): pair codes + one ``bincount`` per lag
give the per-sequence pair tables of every lag once; each Bayesian-bootstrap replicate is
then a matrix product of Dirichlet weights with those tables, and the Grassberger (2003)
MI of all replicates and lags is computed in vectorised chunks. Timed with and without the
within-sequence shuffled baseline (which doubles the counting and the replicates).

Baseline (what a user writes, automutualinformation-style): for every lag, pool the pairs
of all sequences with NumPy (``concatenate`` of ``s[:-r]`` and ``s[r:]``), count them with
``np.unique`` and compute the MI (same Grassberger estimator); for the bootstrap, resample
the sequences with replacement and repeat. It is far too slow to run in full, so it is timed
on ``--baseline-lags`` lags spread over 1..1000 and ``--baseline-reps`` resamples, and the
time per (lag, curve) is scaled to 1000 lags x 201 curves (the point estimate + 200
replicates). The values at the timed lags are checked against bayesfit's.

Run: ``.venv/bin/python benchmarks/sequences.py`` (``--quick`` for 10^5 tokens, 100 lags).
CPU times are printed beside wall times because the machine may be shared.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.special import digamma

from bayesfit import sequences as sq


def grassberger_entropy(counts):
    n = counts[counts > 0].astype(float)
    N = n.sum()
    g = digamma(n) + 0.5 * (-1.0) ** n * (digamma((n + 1) / 2) - digamma(n / 2))
    return np.log(N) - (n * g).sum() / N


def baseline_mi(seqs, r, K):
    """One lag, pairs pooled over sequences, counted with np.unique (the user's code)."""
    a = np.concatenate([s[:-r] for s in seqs])
    b = np.concatenate([s[r:] for s in seqs])
    _, nab = np.unique(a * K + b, return_counts=True)
    _, na = np.unique(a, return_counts=True)
    _, nb = np.unique(b, return_counts=True)
    return grassberger_entropy(na) + grassberger_entropy(nb) - grassberger_entropy(nab)


def data(n_seq, length, K=18, seed=0):
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.full(K, 0.3), size=K) * 0.3 + 0.7 * np.eye(K)[rng.permutation(K)]
    P /= P.sum(axis=1, keepdims=True)
    return sq.markov_chain(P, n_seq, length, seed=seed)


def timed(fn):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--baseline-lags", type=int, default=10)
    ap.add_argument("--baseline-reps", type=int, default=2)
    args = ap.parse_args()
    n_seq, length, R, B = (10, 10_000, 100, 200) if args.quick else (100, 10_000, 1000, 200)
    x = data(n_seq, length)
    seqs = list(x)
    print(f"{n_seq * length:.0e} tokens ({n_seq} sequences x {length}), K = 18, lags 1..{R}, "
          f"{B} bootstrap replicates")
    rows = []
    c, w, cpu = timed(lambda: sq.bootstrap_curve(x, R, replicates=B, baseline=False,
                                                 progress=False))
    rows.append(("bayesfit, no baseline", w, cpu))
    cb, w2, cpu2 = timed(lambda: sq.bootstrap_curve(x, R, replicates=B, baseline=True,
                                                    progress=False))
    rows.append(("bayesfit, with shuffled baseline", w2, cpu2))
    lags = np.unique(np.linspace(1, R, args.baseline_lags).astype(int))
    rng = np.random.default_rng(1)

    def run_baseline():
        vals = [baseline_mi(seqs, r, 18) for r in lags]
        for _ in range(args.baseline_reps):
            pick = rng.integers(0, n_seq, n_seq)
            res = [seqs[i] for i in pick]
            for r in lags:
                baseline_mi(res, r, 18)
        return np.array(vals)

    vals, wb, cpub = timed(run_baseline)
    curves = 1 + args.baseline_reps
    scale = R * (B + 1) / (lags.size * curves)
    np.testing.assert_allclose(vals, c.value[lags - 1], rtol=1e-8, atol=1e-12)
    rows.append((f"NumPy per-lag pooling (timed {lags.size} lags x {curves} curves, scaled "
                 f"x{scale:.0f})", wb * scale, cpub * scale))
    print(f"{'method':70s} {'wall s':>9s} {'cpu s':>9s} {'ratio':>7s}")
    for name, wall, cpu_s in rows:
        print(f"{name:70s} {wall:9.2f} {cpu_s:9.2f} {rows[-1][1] / wall:7.1f}")
    print(f"bootstrap se of MI at r = 1, 10, 100: {c.se[0]:.2e}, {c.se[9]:.2e}, "
          f"{c.se[min(99, R - 1)]:.2e} nats")


if __name__ == "__main__":
    main()
