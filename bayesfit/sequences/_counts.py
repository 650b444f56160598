"""Pair counts ``n[unit, r, a, b]``: how often symbol ``a`` and symbol ``b`` are ``r`` apart.

Everything here is vectorised with *pair codes* and ``numpy.bincount``: a pair (unit ``u``,
distance ``r``, symbols ``a, b``) is one integer, and one ``bincount`` per lag (sequential
distance) or one for the whole corpus (tree distance) counts all pairs. A *unit* is what the
bootstrap resamples: one sequence or tree, or a run of consecutive ones when there are more
than ``max_units`` (block resampling of whole sequences).

Sequential pairs never cross a sequence boundary: sequences are laid end to end with
``max_lag`` padding symbols between them, and pairs that touch a pad are dropped.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._symbols import Corpus, Tree


class PairCounts(NamedTuple):
    """``counts[u, i, a, b]``: pairs at distance ``r[i]`` with symbols ``(a, b)`` in unit
    ``u`` (int64). ``unit_of`` maps each input sequence/tree to its unit."""

    counts: np.ndarray
    r: np.ndarray
    unit_of: np.ndarray
    distance: str


def unit_index(n_items: int, sizes, max_units: int | None) -> np.ndarray:
    """Unit of each item: itself, or runs of consecutive items of similar total size."""
    if max_units is None or n_items <= max_units:
        return np.arange(n_items)
    sizes = np.asarray(sizes, dtype=float)
    cum = np.cumsum(sizes)
    mid = (cum - sizes / 2) / cum[-1] * max_units
    unit = np.clip(np.floor(mid), 0, max_units - 1).astype(np.int64)
    return np.unique(unit, return_inverse=True)[1].astype(np.int64)


def sequential_counts(corpus: Corpus, max_lag: int, *, max_units: int | None = 1000,
                      progress=None) -> PairCounts:
    """Pair counts at sequential distance ``r = 1..max_lag`` (positions ``t`` and ``t+r``,
    ordered: ``a`` first)."""
    K = len(corpus.alphabet)
    seqs = corpus.sequences
    unit_of = unit_index(len(seqs), [len(s) for s in seqs], max_units)
    U = int(unit_of.max()) + 1
    K1 = K + 1
    pad = np.full(max_lag, K, dtype=np.int64)
    x = np.concatenate([np.concatenate([np.asarray(s, dtype=np.int64), pad]) for s in seqs])
    u = np.concatenate([np.full(len(s) + max_lag, unit_of[i], dtype=np.int64)
                        for i, s in enumerate(seqs)])
    left = u * (K1 * K1) + x * K1
    out = np.empty((U, max_lag, K, K), dtype=np.int64)
    nbins = U * K1 * K1
    it = progress(range(1, max_lag + 1)) if progress else range(1, max_lag + 1)
    for r in it:
        c = np.bincount(left[:-r] + x[r:], minlength=nbins)
        out[:, r - 1] = c.reshape(U, K1, K1)[:, :K, :K]
    return PairCounts(out, np.arange(1, max_lag + 1), unit_of, "sequential")


def _tree_depths(parent: np.ndarray) -> np.ndarray:
    depth = np.zeros(parent.size, dtype=np.int64)
    node = parent.copy()
    while np.any(node >= 0):
        depth += node >= 0
        node = np.where(node >= 0, parent[np.maximum(node, 0)], -1)
    return depth


def tree_pairs(trees: list[Tree], *, tokens_only: bool = True):
    """All unordered node pairs of every tree with their path length (structural distance).

    Returns ``(tree, i, j, r_str, r_seq)`` arrays (global node ids ``i < j`` within a tree;
    ``r_seq = |order_i - order_j|``, ``-1`` when a node is not a token). The lowest common
    ancestor is found by climbing from both nodes at once, vectorised over all pairs.
    """
    parents, labels, orders, tid, ii, jj = [], [], [], [], [], []
    off = 0
    for t, tr in enumerate(trees):
        p = np.asarray(tr.parent, dtype=np.int64)
        parents.append(np.where(p >= 0, p + off, -1))
        labels.append(np.asarray(tr.labels, dtype=np.int64))
        orders.append(np.asarray(tr.order, dtype=np.int64))
        keep = np.flatnonzero(np.asarray(tr.order) >= 0) if tokens_only else np.arange(p.size)
        a, b = np.triu_indices(keep.size, k=1)
        ii.append(keep[a] + off)
        jj.append(keep[b] + off)
        tid.append(np.full(a.size, t, dtype=np.int64))
        off += p.size
    parent = np.concatenate(parents)
    depth = np.concatenate([_tree_depths(np.asarray(t.parent, dtype=np.int64)) for t in trees])
    i, j = np.concatenate(ii), np.concatenate(jj)
    a, b = i.copy(), j.copy()
    dist = np.zeros(a.size, dtype=np.int64)
    da, db = depth[a], depth[b]
    while True:
        m = a != b
        if not m.any():
            break
        up_a = m & (da >= db)
        up_b = m & (db >= da)
        a[up_a] = parent[a[up_a]]
        b[up_b] = parent[b[up_b]]
        da = da - up_a
        db = db - up_b
        dist += up_a.astype(np.int64) + up_b
    order = np.concatenate(orders)
    rseq = np.where((order[i] >= 0) & (order[j] >= 0), np.abs(order[i] - order[j]), -1)
    return np.concatenate(tid), i, j, dist, rseq, np.concatenate(labels)


class TreePairs(NamedTuple):
    counts: PairCounts
    rseq_sum: np.ndarray  # (U, R) sum of r_seq over token pairs at each r_str
    rseq_sq: np.ndarray  # (U, R) sum of r_seq**2
    rseq_n: np.ndarray  # (U, R) number of token pairs


def structural_counts(trees: list[Tree], max_dist: int, n_symbols: int, *,
                      max_units: int | None = 1000, tokens_only: bool = True) -> TreePairs:
    """Pair counts at structural distance ``r = 1..max_dist`` (path length through the
    lowest common ancestor). Each unordered pair is counted in both orders, so the table is
    symmetric. Also the sums that give ``r_seq(r_str)``."""
    K = n_symbols
    unit_of = unit_index(len(trees), [len(t.parent) ** 2 for t in trees], max_units)
    U = int(unit_of.max()) + 1
    tid, i, j, d, rseq, lab = tree_pairs(trees, tokens_only=tokens_only)
    keep = (d >= 1) & (d <= max_dist)
    u, d, a, b, rs = unit_of[tid[keep]], d[keep] - 1, lab[i[keep]], lab[j[keep]], rseq[keep]
    base = (u * max_dist + d) * (K * K)
    n = U * max_dist * K * K
    c = np.bincount(base + a * K + b, minlength=n) + np.bincount(base + b * K + a, minlength=n)
    counts = c.reshape(U, max_dist, K, K)
    ur = u * max_dist + d
    tok = rs >= 0
    m = U * max_dist
    s1 = np.bincount(ur[tok], weights=rs[tok], minlength=m).reshape(U, max_dist)
    s2 = np.bincount(ur[tok], weights=rs[tok].astype(float) ** 2, minlength=m).reshape(U, max_dist)
    sn = np.bincount(ur[tok], minlength=m).reshape(U, max_dist).astype(float)
    return TreePairs(PairCounts(counts, np.arange(1, max_dist + 1), unit_of, "structural"),
                     s1, s2, sn)


def shuffle_within(corpus: Corpus, seed: int) -> Corpus:
    """The corpus with every sequence permuted on its own (the shuffled baseline)."""
    rng = np.random.default_rng(seed)
    return corpus._replace(sequences=[rng.permutation(s) for s in corpus.sequences])


def shuffle_tree_labels(trees: list[Tree], seed: int) -> list[Tree]:
    """Every tree with its labels permuted among its own nodes (the shuffled baseline)."""
    rng = np.random.default_rng(seed)
    return [t._replace(labels=rng.permutation(t.labels)) for t in trees]
