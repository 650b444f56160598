"""Estimators against brute-force counts written here, and against exact Markov-chain MI."""

from collections import Counter, deque

import numpy as np
import pytest
from scipy.special import digamma

from bayesfit import sequences as sq
from bayesfit.sequences._counts import structural_counts, tree_pairs


def brute_pairs(seqs, r, K):
    n = np.zeros((K, K))
    for s in seqs:
        for t in range(len(s) - r):
            n[s[t], s[t + r]] += 1
    return n


def brute_entropy(counts, estimator):
    c = [int(v) for v in np.ravel(counts) if v > 0]
    N = sum(c)
    h = np.log(N) - sum(v * np.log(v) for v in c) / N
    if estimator == "miller_madow":
        h += (len(c) - 1) / (2 * N)
    if estimator == "grassberger":
        g = [digamma(v) + 0.5 * (-1) ** v * (digamma((v + 1) / 2) - digamma(v / 2)) for v in c]
        h = np.log(N) - sum(v * gv for v, gv in zip(c, g, strict=True)) / N
    return h


def random_seqs(seed, K=4, n=6):
    rng = np.random.default_rng(seed)
    return [rng.integers(0, K, rng.integers(8, 40)) for _ in range(n)]


def test_sequential_counts_match_brute_force():
    seqs = random_seqs(0)
    seqs[0][0] = 3  # make sure the alphabet is 0..3
    got = sq.pair_counts(seqs, 7)
    for r in range(1, 8):
        np.testing.assert_array_equal(got[r - 1], brute_pairs(seqs, r, 4))


@pytest.mark.parametrize("estimator", ["plugin", "miller_madow", "grassberger"])
def test_mi_estimators_match_brute_force(estimator):
    seqs = random_seqs(1, K=5, n=10)
    mi = sq.mutual_information(seqs, 5, estimator=estimator)
    for r in range(1, 6):
        n = brute_pairs(seqs, r, 5)
        want = (brute_entropy(n.sum(1), estimator) + brute_entropy(n.sum(0), estimator)
                - brute_entropy(n, estimator))
        assert mi[r - 1] == pytest.approx(want, rel=1e-10, abs=1e-12)


def test_grassberger_entropy_of_large_and_weighted_counts_matches_digamma():
    # counts of a large corpus (and the real-valued counts of bootstrap replicates) take
    # the asymptotic series of psi from 200 up; this checks both sides of that switch
    rng = np.random.default_rng(7)
    for counts in (rng.integers(0, 3000, (6, 18)), rng.uniform(0, 600, (6, 18)),
                   np.array([[199.5, 200.0, 200.5, 1e6, 0.0, 3.0]])):
        counts = counts.astype(float)
        v = np.where(counts > 0, counts, 1.0)
        g = digamma(v) + 0.5 * np.cos(np.pi * v) * (digamma((v + 1) / 2) - digamma(v / 2))
        N = counts.sum(axis=-1)
        want = np.log(N) - np.sum(np.where(counts > 0, counts * g, 0.0), axis=-1) / N
        got = sq.entropy(counts, "grassberger")
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_mi_of_markov_chain_matches_exact_value():
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.25, 0.25, 0.5]])
    x = sq.markov_chain(P, 40, 2000, seed=3)
    c = sq.bootstrap_curve(x, 6, replicates=100, seed=1)
    exact = sq.markov_mi(P, np.arange(1, 7))
    z = (c.corrected - exact) / c.se
    assert np.all(np.abs(z) < 4), z
    # plug-in is biased upwards by about (K-1)^2 / (2N) nats; Grassberger removes most of it
    plug = sq.mutual_information(x, 6, estimator="plugin")
    gr = sq.mutual_information(x, 6, estimator="grassberger")
    assert np.all(plug > gr)


def test_connected_correlation_matches_brute_force():
    seqs = random_seqs(2, K=3, n=5)
    C = sq.connected_correlation(seqs, 4)
    for r in range(1, 5):
        left = np.concatenate([s[:-r] for s in seqs])
        right = np.concatenate([s[r:] for s in seqs])
        for a in range(3):
            for b in range(3):
                want = np.mean((left == a) & (right == b)) - np.mean(left == a) * np.mean(
                    right == b)
                assert C[r - 1, a, b] == pytest.approx(want, abs=1e-14)
    fro = sq.connected_correlation(seqs, 4, channel="frobenius")
    np.testing.assert_allclose(fro, np.sqrt((C**2).sum(axis=(1, 2))))


def test_ensemble_correlation_matches_brute_force():
    y = np.random.default_rng(4).integers(0, 3, (30, 12))
    C = sq.ensemble_correlation(y, 1, 2, 5)
    for t in range(12):
        for r in range(1, 6):
            if t + r >= 12:
                assert np.isnan(C[t, r - 1])
                continue
            want = np.mean((y[:, t] == 1) & (y[:, t + r] == 2)) - np.mean(y[:, t] == 1) * \
                np.mean(y[:, t + r] == 2)
            assert C[t, r - 1] == pytest.approx(want, abs=1e-14)


def bfs_distances(parent):
    n = len(parent)
    adj = [[] for _ in range(n)]
    for i, p in enumerate(parent):
        if p >= 0:
            adj[i].append(p)
            adj[p].append(i)
    out = np.zeros((n, n), dtype=int)
    for s in range(n):
        seen = {s: 0}
        q = deque([s])
        while q:
            v = q.popleft()
            for w in adj[v]:
                if w not in seen:
                    seen[w] = seen[v] + 1
                    q.append(w)
        out[s] = [seen[i] for i in range(n)]
    return out


def random_tree(rng, n):
    parent = np.array([-1] + [int(rng.integers(0, i)) for i in range(1, n)])
    perm = rng.permutation(n)  # relabel so that the root is not always node 0
    inv = np.argsort(perm)
    new_parent = np.array([inv[parent[perm[i]]] if parent[perm[i]] >= 0 else -1
                           for i in range(n)])
    return sq.Tree(new_parent, rng.integers(0, 3, n).astype(np.int32), np.arange(n))


def test_structural_counts_and_distance_map_match_bfs():
    rng = np.random.default_rng(5)
    trees = [random_tree(rng, int(rng.integers(2, 15))) for _ in range(8)]
    got = structural_counts(trees, 6, 3)
    want = np.zeros((6, 3, 3))
    rs = Counter()
    rs_sum = Counter()
    for t in trees:
        D = bfs_distances(t.parent)
        n = len(t.parent)
        for i in range(n):
            for j in range(n):
                if i != j and D[i, j] <= 6:
                    want[D[i, j] - 1, t.labels[i], t.labels[j]] += 1
                    if i < j:
                        rs[D[i, j]] += 1
                        rs_sum[D[i, j]] += abs(i - j)
    np.testing.assert_array_equal(got.counts.counts.sum(axis=0), want)
    corpus = sq.Corpus([t.labels for t in trees], (0, 1, 2), trees, "trees")
    dm = sq.sequential_vs_structural(corpus, 6, replicates=20)
    for d in range(1, 7):
        if rs[d]:
            assert dm.mean[d - 1] == pytest.approx(rs_sum[d] / rs[d])
            assert dm.n_pairs[d - 1] == rs[d]


def test_near_pairs_are_the_bfs_pairs_within_the_distance():
    """``tree_pairs(max_dist=R)`` (pairs enumerated by lowest common ancestor, the far ones
    never formed) gives exactly the token pairs that breadth-first search finds within R
    edges, with their distances; non-token nodes (order -1) carry paths but make no pair."""
    rng = np.random.default_rng(9)
    for _ in range(20):
        trees = [random_tree(rng, int(rng.integers(1, 30))) for _ in range(4)]
        trees = [t._replace(order=np.where(rng.random(len(t.parent)) < 0.3, -1, t.order))
                 for t in trees]
        R = int(rng.integers(0, 9))
        tid, i, j, d, _, _ = tree_pairs(trees, max_dist=R)
        got = sorted(zip(tid.tolist(), i.tolist(), j.tolist(), d.tolist(), strict=True))
        want, off = [], 0
        for t, tr in enumerate(trees):
            D = bfs_distances(tr.parent)
            tok = np.flatnonzero(np.asarray(tr.order) >= 0)
            want += [(t, a + off, b + off, int(D[a, b])) for a in tok for b in tok
                     if a < b and D[a, b] <= R]
            off += len(tr.parent)
        assert got == sorted(want)


def test_lin_tegmark_structural_mi_is_exponential_in_tree_distance():
    corpus = sq.lin_tegmark_tree(K=4, depth=6, lam=0.7, n_trees=40, seed=2)
    c = sq.bootstrap_curve(corpus, 4, distance="structural", replicates=50)
    # leaves are an even number of edges apart; at r_str = 2h the pair table is that of a
    # symmetric channel with m = lam^(2h): MI = exact value below
    for h in (1, 2):
        m, K = 0.7 ** (2 * h), 4
        p_same = (m + (1 - m) / K) / K
        p_diff = (1 - m) / K / K
        exact = K * p_same * np.log(p_same * K * K) + K * (K - 1) * p_diff * np.log(
            p_diff * K * K)
        assert abs(c.corrected[2 * h - 1] - exact) < 4 * c.se[2 * h - 1] + 1e-3
    assert c.value[0] == 0.0 and c.value[2] == 0.0  # odd distances: no leaf pairs
