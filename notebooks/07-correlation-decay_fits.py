"""REMC model comparison of MI decay on the reduced UD treebanks (data/ud/), one corpus and
distance per run; writes data/ud/decay_<corpus>_<distance>__<models>.csv (one row per
model, nats),
which notebooks/07-correlation-decay.ipynb shows. Several minutes per model.

Run: .venv/bin/python notebooks/07-correlation-decay_fits.py en_ewt sequential [MODEL ...]
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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *([tuple(sys.argv[3:])] if sys.argv[3:] else []))
