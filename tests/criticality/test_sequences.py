"""Sequence sweeps: sampler vs the chain's transition matrix, correlations vs brute-force
pair counts, relaxation vs the exact P^t, the decay comparison on exact curves."""

import numpy as np

import bayesfit  # noqa: F401
from bayesfit.criticality import (
    compare_decay,
    correlation_curve,
    markov_logits,
    markov_logits_fn,
    relaxation_curve,
    sample_sequences,
    sweep_from_symbols,
)
from bayesfit.criticality._markov import transition_matrix

W = markov_logits(3, 1.5, seed=1)
TEMPS = [0.7, 2.0]


def _sample(n=3000, length=40):
    return np.asarray(sample_sequences(markov_logits_fn(W), TEMPS, n, length,
                                       context_length=1, seed=5))


SEQS = _sample()


def test_sampler_follows_the_temperature_scaled_chain():
    for i, temp in enumerate(TEMPS):
        s = SEQS[i]
        counts = np.zeros((3, 3))
        np.add.at(counts, (s[:, :-1].ravel(), s[:, 1:].ravel()), 1)
        freq = counts / counts.sum(1, keepdims=True)
        assert np.max(np.abs(freq - transition_matrix(W, temp))) < 0.02


def test_correlation_curve_matches_brute_force_counts():
    s = SEQS[0][:300]
    rng = np.random.default_rng(0)
    weights = rng.dirichlet(np.ones(s.shape[0]))
    curve = np.asarray(correlation_curve(s, 3, 6))
    wcurve = np.asarray(correlation_curve(s, 3, 6, weights=weights))
    chan = np.asarray(correlation_curve(s, 3, 6, channel=(0, 2)))
    for r in range(1, 7):
        a, b = s[:, :-r], s[:, r:]
        w = np.repeat(weights[:, None], a.shape[1], 1)
        trace = wtrace = 0.0
        for k in range(3):
            trace += np.mean((a == k) & (b == k)) - np.mean(a == k) * np.mean(b == k)
            wtrace += (np.sum(w * ((a == k) & (b == k))) / w.sum()
                       - np.sum(w * (a == k)) / w.sum() * np.sum(w * (b == k)) / w.sum())
        assert abs(curve[r] - trace) < 1e-12
        assert abs(wcurve[r] - wtrace) < 1e-12
        want = np.mean((a == 0) & (b == 2)) - np.mean(a == 0) * np.mean(b == 2)
        assert abs(chan[r] - want) < 1e-12


def test_relaxation_matches_exact_marginals():
    temp = TEMPS[0]
    p = transition_matrix(W, temp)
    evals, evecs = np.linalg.eig(p.T)
    pi = np.real(evecs[:, np.argmin(np.abs(evals - 1))])
    pi /= pi.sum()
    pt = np.full(3, 1 / 3)
    exact = []
    for _ in range(SEQS.shape[2]):
        exact.append(0.5 * np.abs(pt - pi).sum())
        pt = pt @ p
    got = np.asarray(relaxation_curve(SEQS[0], 3))
    assert np.max(np.abs(got[:5] - np.asarray(exact[:5]))) < 0.03
    assert exact[0] > 0.1  # the check is not trivial


def test_decay_comparison_on_exact_curves():
    r = np.arange(1, 40)
    cov = np.diag((1e-3 * np.exp(-r / 40)) ** 2)
    exp_curve = 0.3 * np.exp(-r / 6.0)
    pow_curve = 0.3 * r**-0.8
    e = compare_decay(r, exp_curve, cov)
    p = compare_decay(r, pow_curve, cov)
    assert e.p_power < 1e-3 and abs(e.xi - 6.0) < 1e-6
    assert p.p_power > 1 - 1e-3 and abs(p.alpha - 0.8) < 1e-6


def test_sweep_statistics_of_markov_chain_are_finite_and_ordered():
    sw = sweep_from_symbols({(t, 40): SEQS[i] for i, t in enumerate(TEMPS)}, 3,
                            n_boot=50)
    assert np.all(np.isfinite(sw.chi)) and np.all(sw.dchi > 0)
    for k in range(2):  # chi is the integrated curve up to the default max lag L/2
        st = sw.stats[k]
        assert st.curve.size == 21 and abs(sw.chi[k] - st.curve[1:].sum()) < 1e-12
    assert sw.chi[0] > 0.02  # the colder chain carries a clear integrated correlation


def test_evidence_decay_finds_a_power_law():
    """The evidence-based comparison (REMC log evidence of both models, correlated
    likelihood) on a curve of known form, r^-1.2 with 2 % noise. One side suffices here: a
    flipped sign of the log Bayes factor or swapped models fail it, and the exponential side
    of the same comparison is tested in tests/sequences/test_decay.py (Markov chain)."""
    from bayesfit.criticality import evidence_decay

    r = np.arange(1.0, 16.0)
    rng = np.random.default_rng(3)
    # a fixed ladder of 8 rungs (no pilot stage): two ~3-parameter posteriors. Random-walk
    # moves from prior draws: HMC's leapfrog steps and the multi-start MAP search only add
    # compilation here (20 -> 10 s on the 2-core machine), and the verdict has room to
    # spare: over 7 noise/sampler seeds ln BF(power) >= 31.8 (P > 0.95 needs 2.9) and alpha
    # within 4.2 % of 1.2
    compare = evidence_decay(method=bayesfit.REMC(replicas=8, move="rwm", start="prior"),
                             chains=2, draws=300, warmup=200, seed=0)
    truth = 0.5 * r**-1.2
    se = 0.02 * truth
    dec = compare(r, truth + se * rng.standard_normal(r.size), np.diag(se**2))
    assert dec.n_lags == r.size
    assert dec.p_power > 0.95, dec
    assert abs(dec.alpha / 1.2 - 1) < 0.2, dec
