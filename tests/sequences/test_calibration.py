"""The sequence bootstrap's spread matches independent replicates of the generator; a
posterior that treats pairs as independent is too narrow (spec sequences.md 4.1)."""

import numpy as np

from bayesfit import sequences as sq


def test_bootstrap_matches_replicate_spread_and_pair_iid_underestimates():
    R, n_seq, length = 6, 20, 400
    # 120 independent data sets from the generator: the true sampling sd of the curve
    reps = np.stack([sq.mutual_information(sq.binary_markov(0.1, n_seq, length, seed=s), R,
                                           baseline=True, seed=s) for s in range(120)])
    true_sd = reps.std(axis=0, ddof=1)
    boot, iid = [], []
    for s in range(1000, 1008):
        x = sq.binary_markov(0.1, n_seq, length, seed=s)
        c = sq.bootstrap_curve(x, R, replicates=300, seed=s)
        boot.append(c.se)
        counts = sq.pair_counts(x, R)
        iid.append(sq.pair_iid_replicates(counts, sq.MutualInformation(), 300, seed=s)
                   .std(axis=0, ddof=1))
    ratio_boot = np.mean(boot, axis=0) / true_sd
    ratio_iid = np.mean(iid, axis=0) / true_sd
    # sd of a 120-replicate sd is ~6.5 %; the mean over lags 1..6 must be within 20 %
    assert abs(ratio_boot.mean() - 1) < 0.2, ratio_boot
    assert np.all(np.abs(ratio_boot - 1) < 0.3), ratio_boot
    # pairs share symbols (and a Markov chain's pairs are dependent): too narrow
    assert ratio_iid.mean() < 0.75, ratio_iid
    assert np.all(ratio_iid < ratio_boot)
