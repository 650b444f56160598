"""Make the shipped temperature sweeps in data/criticality/ (seeded, deterministic).

Command (from the repository root; a few minutes on a 2-core CPU):

    python data/criticality/make_sweeps.py

- ``markov_sweep.csv``: the temperature-scaled 6-state Markov chain
  (``markov_logits(6, 2.0, seed=0)``), the negative control;
- ``upos_sweep.csv``: the autoregressive UPOS model trained (seed 0) on UD English EWT
  dev (``../shared/data/ud/en_ewt-ud-dev.conllu``, CC BY-SA 4.0), cross-entropy on EWT test
  in the header.

Both: 200 sequences per (T, L), lengths L = 64, 128, 256 (the sizes), max lag L/2,
chi = integrated trace connected correlation with Bayesian-bootstrap SE (100 draws),
sampling seed 0.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import bayesfit  # noqa: F401  (float64)
from bayesfit.criticality import markov_logits, markov_logits_fn, temperature_sweep
from bayesfit.criticality._upos import UPOS, read_upos, train_upos_model, upos_cross_entropy

HERE = Path(__file__).parent
UD = HERE.parents[1] / ".." / "shared" / "data" / "ud"
LENGTHS = (64, 128, 256)
COLUMNS = ("size", "temperature", "chi", "dchi", "xi", "p_power", "alpha", "tau")


def write(sweep, path, header):
    rows = np.array([[r[k] for k in COLUMNS] for r in sweep.rows()])
    tmp = path.with_suffix(".tmp")
    np.savetxt(tmp, rows, delimiter=",", header="\n".join(header) + "\n" + ",".join(COLUMNS),
               comments="", fmt="%.8g")
    tmp.replace(path)


def main():
    w = markov_logits(6, 2.0, seed=0)
    sweep = temperature_sweep(markov_logits_fn(w), np.linspace(0.3, 3.0, 12), LENGTHS,
                              n_sequences=200, n_symbols=6, context_length=1, seed=0)
    write(sweep, HERE / "markov_sweep.csv",
          ["# temperature-scaled Markov chain, markov_logits(6, 2.0, seed=0); "
           "made by data/criticality/make_sweeps.py"])
    train = read_upos(UD / "en_ewt-ud-dev.conllu")
    test = read_upos(UD / "en_ewt-ud-test.conllu")
    model, _ = train_upos_model(train, seed=0)
    ce = upos_cross_entropy(model, test)
    sweep = temperature_sweep(model, np.linspace(0.3, 2.0, 12), LENGTHS, n_sequences=200,
                              n_symbols=len(UPOS), context_length=model.context_length,
                              seed=0)
    write(sweep, HERE / "upos_sweep.csv",
          ["# autoregressive UPOS model (seed 0) trained on UD English EWT dev (CC BY-SA 4.0); "
           f"test cross-entropy {ce:.4f} nats/tag; made by data/criticality/make_sweeps.py"])


if __name__ == "__main__":
    main()
