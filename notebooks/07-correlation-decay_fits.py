"""REMC model comparison of MI decay on the reduced UD treebanks (data/ud/), one corpus and
distance per run; writes data/ud/decay_<corpus>_<distance>__<models>.csv (one row per
model, nats),
which notebooks/07-correlation-decay.ipynb shows. Several minutes per model.

Run: .venv/bin/python notebooks/07-correlation-decay_fits.py en_ewt sequential [MODEL ...]

``markov`` instead writes notebooks/results/07-markov-decay.csv: the exponential against
power-law comparison on the binary Markov chain with a known answer (section 1 of the
notebook). tests/sequences/test_decay.py makes the same two fits and fails if this file
no longer matches them, so remake it when REMC or the decay kernel changes:

    .venv/bin/python notebooks/07-correlation-decay_fits.py markov
"""

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import bayesfit
from bayesfit import sequences as sq
from bayesfit.io import write_table

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {"sequential": dict(max_lag=40, scale="log"),
            "structural": dict(max_lag=8, scale="linear")}
METHOD = dict(replicas=8, move="rwm")
RUN = dict(chains=2, draws=300, warmup=300)


def curve(corpus: str, distance: str):
    c = sq.read_conllu(ROOT / "data" / "ud" / f"{corpus}-upos.conllu")
    return sq.bootstrap_curve(c, SETTINGS[distance]["max_lag"], distance=distance,
                              replicates=400, seed=0, progress=False)


def main(corpus: str, distance: str, models=("power", "exponential", "power_cutoff",
                                             "stretched", "power_exp")):
    cv = curve(corpus, distance)
    scale = SETTINGS[distance]["scale"]
    out = ROOT / "data" / "ud" / f"decay_{corpus}_{distance}__{'-'.join(models)}.csv"
    rows = []
    for i, m in enumerate(models):
        t0 = time.process_time()
        prob = sq.decay_problem(cv, m, scale=scale)
        res = bayesfit.fit(prob, bayesfit.REMC(**METHOD), seed=i, progress=False,
                           log_likelihood=True, predictive=False, **RUN)
        s = res.summary()
        row = {"model": m, "log_evidence": res.log_evidence,
               "log_evidence_err": res.log_evidence_err, "n_lags": prob.datasets[0].n,
               "scale": scale, "cpu_s": time.process_time() - t0}
        for k in ("alpha", "xi", "beta"):
            if k in s.index:
                row[k] = float(s.loc[k, "mean"])
                row[f"{k}_lo"] = float(s.loc[k, "eti95_lb"])
                row[f"{k}_hi"] = float(s.loc[k, "eti95_ub"])
        rows.append(row)
        df = pd.DataFrame(rows)
        df["log_bf_vs_best"] = df["log_evidence"] - df["log_evidence"].max()
        print(df.to_string(), flush=True)
        write_table(out, {c: df[c].to_numpy(dtype=float) for c in df.columns
                                      if c not in ("model", "scale")} | {
            "model_index": np.array([sq.DECAY_MODELS.index(x) for x in df["model"]], float)},
            [f"REMC({METHOD}) {RUN}; {corpus} {distance}, scale {scale}; model_index into "
             f"{list(sq.DECAY_MODELS)}; nats",
             "derived from UD treebanks (CC BY-SA 4.0), see README.md"])


MARKOV_MODELS = ("exponential", "power")
MARKOV_FILE = ROOT / "notebooks" / "results" / "07-markov-decay.csv"


def markov_data():
    """Binary symmetric chain (flip 0.1, lambda = 0.8), MI curve on lags r >= 4."""
    x = sq.binary_markov(0.1, 50, 1000, seed=1)
    r, y, cov = sq.bootstrap_curve(x, 30, replicates=200).log_data()
    k = r >= 4  # the asymptotic regime (lambda^(2r) correction < 3 %)
    return r[k], y[k], cov[np.ix_(k, k)]


def markov():
    """The two fits of tests/sequences/test_decay.py, same settings and seeds, to CSV."""
    data = markov_data()
    cols = {k: [] for k in ("model_index", "log_evidence", "log_evidence_err", "mean",
                            "mcse_mean", "eti95_lb", "eti95_ub")}
    for i, m in enumerate(MARKOV_MODELS):
        res = bayesfit.fit(sq.decay_problem(data, m), bayesfit.REMC(**METHOD), seed=i,
                           progress=False, **RUN)
        row = res.summary().loc["xi" if m == "exponential" else "alpha"]
        cols["model_index"].append(sq.DECAY_MODELS.index(m))
        cols["log_evidence"].append(res.log_evidence)
        cols["log_evidence_err"].append(res.log_evidence_err)
        for k in ("mean", "mcse_mean", "eti95_lb", "eti95_ub"):
            cols[k].append(float(row[k]))
    write_table(MARKOV_FILE, {k: np.asarray(v, float) for k, v in cols.items()},
                [f"REMC({METHOD}) {RUN}, seed = row number; binary Markov chain flip 0.1 "
                 "(lambda = 0.8), 50 x 1000 symbols, seed 1, bootstrap_curve(30, 200), "
                 "lags r >= 4",
                 f"model_index into {list(sq.DECAY_MODELS)}; log evidence in nats; mean, "
                 "mcse_mean, eti95_lb, eti95_ub: xi (exponential) or alpha (power)"])
    print(MARKOV_FILE.read_text())


if __name__ == "__main__" and sys.argv[1:] == ["markov"]:
    markov()
elif __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *([tuple(sys.argv[3:])] if sys.argv[3:] else []))
