"""Pair counts ``n[unit, r, a, b]``: how often symbol ``a`` and symbol ``b`` are ``r`` apart.

Everything here is vectorised with *pair codes* and ``numpy.bincount``: a pair (unit ``u``,
distance ``r``, symbols ``a, b``) is one integer, and one ``bincount`` per lag (sequential
distance; for few symbols and many lags, FFT cross-correlations of the symbols' indicator
sequences give every lag at once) or one for the whole corpus (tree distance) counts all
pairs. A *unit* is what the bootstrap resamples: one sequence or tree, or a run of
consecutive ones when there are more than ``max_units`` (block resampling of whole
sequences).

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
    ordered: ``a`` first).

    Two exact methods: one ``bincount`` of pair codes per lag (work ~ ``max_lag`` passes
    over the corpus), or, for few symbols and many lags, every lag at once from FFT
    cross-correlations of the symbols' indicator sequences within each unit (work ~ ``K**2
    log2(n)`` passes; :func:`_fft_counts`), whichever is cheaper."""
    K = len(corpus.alphabet)
    seqs = corpus.sequences
    unit_of = unit_index(len(seqs), [len(s) for s in seqs], max_units)
    U = int(unit_of.max()) + 1
    K1 = K + 1
    pad = np.full(max_lag, K, dtype=np.int64)
    x = np.concatenate([np.concatenate([np.asarray(s, dtype=np.int64), pad]) for s in seqs])
    lens = np.bincount(unit_of, weights=[len(s) + max_lag for s in seqs],
                       minlength=U).astype(np.int64)
    if K * K * np.log2(max(2, int(lens.max()))) < max_lag:
        out = _fft_counts(x, lens, K, max_lag)
        if out is not None:  # (no progress bar: one pass, a fraction of a second)
            return PairCounts(out, np.arange(1, max_lag + 1), unit_of, "sequential")
    u = np.repeat(np.arange(U, dtype=np.int64), lens)  # units are runs of consecutive items
    left = u * (K1 * K1) + x * K1
    out = np.empty((U, max_lag, K, K), dtype=np.int64)
    nbins = U * K1 * K1
    it = progress(range(1, max_lag + 1)) if progress else range(1, max_lag + 1)
    for r in it:
        c = np.bincount(left[:-r] + x[r:], minlength=nbins)
        out[:, r - 1] = c.reshape(U, K1, K1)[:, :K, :K]
    return PairCounts(out, np.arange(1, max_lag + 1), unit_of, "sequential")


_FFT_CHUNK_FLOATS = 2**22  # indicator spectra held at once (~34 MB)


def _fft_counts(x: np.ndarray, lens: np.ndarray, K: int, max_lag: int) -> np.ndarray | None:
    """Counts ``n[u, r - 1, a, b] = sum_t [x_t = a] [x_{t+r} = b]`` within each unit (the
    runs of ``lens`` symbols of ``x``; the pad symbol ``K`` ends every sequence) as the
    cross-correlations ``irfft(conj(F_a) F_b)`` of the indicator sequences. A transform at
    least as long as the unit does not wrap: a unit ends in ``max_lag`` pads. Integers up to
    float rounding (far below 1/2 for any corpus that fits in memory), rounded; ``None`` if
    any value were not within 0.25 of an integer (the caller then counts directly)."""
    from scipy import fft as sfft

    U = lens.size
    start = np.concatenate([[0], np.cumsum(lens)])
    order = np.argsort(lens, kind="stable")  # similar lengths share a transform length
    out = np.empty((U, max_lag, K, K), dtype=np.int64)
    i = 0
    while i < U:
        n = max(1, _FFT_CHUNK_FLOATS // (K * K * sfft.next_fast_len(int(lens[order[i]]))))
        while True:
            j = min(U, i + n)
            nfft = sfft.next_fast_len(int(lens[order[j - 1]]), real=True)
            if n == 1 or (j - i) * K * K * nfft <= 2 * _FFT_CHUNK_FLOATS:
                break
            n //= 2
        js = order[i:j]
        L = lens[js]
        row = np.repeat(np.arange(js.size), L)
        pos = np.arange(int(L.sum())) - np.repeat(np.cumsum(L) - L, L)
        sym = x[np.repeat(start[js], L) + pos]
        keep = sym < K
        E = np.zeros((js.size, K, nfft))
        E[row[keep], sym[keep], pos[keep]] = 1.0
        F = sfft.rfft(E, axis=-1)
        del E
        Fc = np.conj(F)
        for a in range(K):
            for b in range(K):
                c = sfft.irfft(Fc[:, a] * F[:, b], n=nfft, axis=-1)[:, 1:max_lag + 1]
                n_ab = np.rint(c)
                if np.max(np.abs(c - n_ab), initial=0.0) > 0.25:
                    return None
                out[js, :, a, b] = n_ab.astype(np.int64)
        i = j
    return out


def _tree_depths(parent: np.ndarray) -> np.ndarray:
    depth = np.zeros(parent.size, dtype=np.int64)
    node = parent.copy()
    while np.any(node >= 0):
        depth += node >= 0
        node = np.where(node >= 0, parent[np.maximum(node, 0)], -1)
    return depth


def tree_pairs(trees: list[Tree], *, tokens_only: bool = True, max_dist: int | None = None):
    """Node pairs of every tree with their path length (structural distance).

    Returns ``(tree, i, j, r_str, r_seq, labels)`` arrays (global node ids ``i < j`` within
    a tree; ``r_seq = |order_i - order_j|``, ``-1`` when a node is not a token; ``labels``
    of all nodes by global id). ``max_dist``: only the pairs at most that far apart
    (:func:`_near_pairs`, which never forms the others: a tree of 1024 leaves has 523 776
    leaf pairs, 7 680 of them within 8 edges); ``None``: all pairs.
    """
    parents, labels, orders, tid = [], [], [], []
    off = 0
    for t, tr in enumerate(trees):
        p = np.asarray(tr.parent, dtype=np.int64)
        parents.append(np.where(p >= 0, p + off, -1))
        labels.append(np.asarray(tr.labels, dtype=np.int64))
        orders.append(np.asarray(tr.order, dtype=np.int64))
        tid.append(np.full(p.size, t, dtype=np.int64))
        off += p.size
    parent = np.concatenate(parents) if parents else np.zeros(0, dtype=np.int64)
    order = np.concatenate(orders) if orders else np.zeros(0, dtype=np.int64)
    tree_of = np.concatenate(tid) if tid else np.zeros(0, dtype=np.int64)
    nodes = np.flatnonzero(order >= 0) if tokens_only else np.arange(parent.size)
    if max_dist is None:  # no pair is farther apart than twice the deepest node's depth
        max_dist = 2 * int(_tree_depths(parent).max(initial=0))
    i, j, dist = _near_pairs(parent, nodes, int(max_dist))
    rseq = np.where((order[i] >= 0) & (order[j] >= 0), np.abs(order[i] - order[j]), -1)
    lab = np.concatenate(labels) if labels else np.zeros(0, dtype=np.int64)
    return tree_of[i], i, j, dist, rseq, lab


def _near_pairs(parent, nodes, max_dist: int):
    """The pairs ``i < j`` of ``nodes`` at most ``max_dist`` edges apart, and their path
    lengths, enumerated by lowest common ancestor: ``i`` lies ``h1`` levels below an
    ancestor ``c``, ``j`` lies ``h2`` below it, ``h1 + h2 <= max_dist``, and ``c`` is the
    *lowest* common ancestor when one of them is ``c`` itself or their paths enter ``c``
    through different children. Every such pair has exactly one ``(c, h1, h2)``."""
    R = max(int(max_dist), 0)
    # anc[h][k]: the ancestor h levels above nodes[k] (-1 above the root)
    anc = [nodes.astype(np.int64)]
    for _ in range(R):
        up = anc[-1]
        anc.append(np.where(up >= 0, parent[np.maximum(up, 0)], -1))
    ii, jj, dd = [], [], []
    for h1 in range(R + 1):
        for h2 in range(h1, R - h1 + 1):
            if h1 + h2 == 0:
                continue
            x, y = _same_ancestor(anc[h1], anc[h2], same=h1 == h2)
            if h1 > 0:  # different children of c (h1 == 0: nodes[x] is c itself)
                ok = anc[h1 - 1][x] != anc[h2 - 1][y]
                x, y = x[ok], y[ok]
            a, b = nodes[x], nodes[y]
            ii.append(np.minimum(a, b))
            jj.append(np.maximum(a, b))
            dd.append(np.full(a.size, h1 + h2, dtype=np.int64))
    if not ii:
        return (np.zeros(0, dtype=np.int64),) * 3
    return np.concatenate(ii), np.concatenate(jj), np.concatenate(dd)


def _same_ancestor(c1, c2, same: bool):
    """Index pairs ``(x, y)`` with ``c1[x] == c2[y] >= 0`` (``same``: ``c1`` is ``c2`` and
    only ``x < y`` is kept, each unordered pair once)."""
    o1, o2 = np.argsort(c1, kind="stable"), np.argsort(c2, kind="stable")
    s1, s2 = c1[o1], c2[o2]
    keys = np.intersect1d(s1[s1 >= 0], s2[s2 >= 0])
    lo1 = np.searchsorted(s1, keys)
    n1 = np.searchsorted(s1, keys, side="right") - lo1
    lo2 = np.searchsorted(s2, keys)
    n2 = np.searchsorted(s2, keys, side="right") - lo2
    per = n1 * n2
    grp = np.repeat(np.arange(keys.size), per)
    k = np.arange(int(per.sum())) - np.repeat(np.cumsum(per) - per, per)
    x = o1[lo1[grp] + k // n2[grp]]
    y = o2[lo2[grp] + k % n2[grp]]
    if same:
        keep = x < y
        x, y = x[keep], y[keep]
    return x, y


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
    tid, i, j, d, rseq, lab = tree_pairs(trees, tokens_only=tokens_only,
                                         max_dist=max_dist)
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
