"""Symbol sequences and trees as integer arrays, with the alphabet that names the codes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from ..errors import BayesfitError


class Tree(NamedTuple):
    """One rooted tree over the tokens of a sentence.

    ``parent[i]`` is the index of node ``i``'s parent (``-1`` for the root), ``labels[i]``
    the integer code of its symbol, ``order[i]`` its position in the sentence (``-1`` for
    a node that is not a token, e.g. an inner node of a constituency or Lin-Tegmark tree).
    """

    parent: np.ndarray
    labels: np.ndarray
    order: np.ndarray


class Corpus(NamedTuple):
    """Documents of symbol codes (``sequences``), optional per-sentence ``trees``, and the
    ``alphabet`` (``alphabet[code]`` is the symbol). ``where`` names the source file."""

    sequences: list[np.ndarray]
    alphabet: tuple
    trees: list[Tree] | None = None
    where: str = ""

    @property
    def n_tokens(self) -> int:
        return int(sum(len(s) for s in self.sequences))


def encode(sequences: Iterable[Sequence], *, alphabet: Sequence | None = None,
           where: str = "sequences") -> Corpus:
    """Encode sequences of hashable symbols (str, int, ...) as integer codes 0..K-1.

    ``alphabet`` fixes the code order (symbols not in it raise); by default the sorted set
    of symbols seen. Errors name ``where`` and the offending sequence.
    """
    seqs = [list(s) for s in sequences]
    if not seqs:
        raise BayesfitError(f"{where}: no sequences given; pass at least one sequence.")
    if alphabet is None:
        seen = {x for s in seqs for x in s}
        try:
            alphabet = tuple(sorted(seen))
        except TypeError:
            alphabet = tuple(sorted(seen, key=repr))
    alphabet = tuple(alphabet)
    index = {a: i for i, a in enumerate(alphabet)}
    out = []
    for i, s in enumerate(seqs):
        try:
            out.append(np.fromiter((index[x] for x in s), dtype=np.int32, count=len(s)))
        except KeyError as err:
            raise BayesfitError(f"{where}: sequence {i} holds symbol {err.args[0]!r}, which is "
                                f"not in the alphabet {list(alphabet)}.") from None
    return Corpus(out, alphabet, None, where)


def as_corpus(data, *, where: str = "sequences") -> Corpus:
    """A :class:`Corpus` from a Corpus, a 2-D integer array (one row per sequence) or a list
    of integer/str sequences. Integer input keeps its codes (alphabet ``0..max``)."""
    if isinstance(data, Corpus):
        return data
    if isinstance(data, np.ndarray) and data.ndim == 1 and data.dtype != object:
        data = data[None, :]
    if isinstance(data, np.ndarray) and data.ndim == 2 and np.issubdtype(data.dtype, np.integer):
        if data.size and data.min() < 0:
            raise BayesfitError(f"{where}: integer symbols must be >= 0 (got {data.min()}).")
        k = int(data.max()) + 1 if data.size else 0
        return Corpus([np.asarray(r, dtype=np.int32) for r in data], tuple(range(k)), None,
                      where)
    seqs = list(data)
    if seqs and all(isinstance(s, np.ndarray) and np.issubdtype(s.dtype, np.integer)
                    for s in seqs):
        lo = min((int(s.min()) for s in seqs if s.size), default=0)
        if lo < 0:
            raise BayesfitError(f"{where}: integer symbols must be >= 0 (got {lo}).")
        k = max((int(s.max()) for s in seqs if s.size), default=-1) + 1
        return Corpus([np.asarray(s, dtype=np.int32) for s in seqs], tuple(range(k)), None,
                      where)
    return encode(seqs, where=where)


def check_lags(corpus: Corpus, max_lag: int, *, what: str = "max_lag") -> int:
    """Validate ``max_lag`` against the corpus; clear errors for unusable input."""
    if isinstance(max_lag, bool) or not isinstance(max_lag, int | np.integer) or max_lag < 1:
        raise BayesfitError(f"{what} = {max_lag!r} must be an integer >= 1.")
    if not corpus.sequences or corpus.n_tokens == 0:
        raise BayesfitError(f"{corpus.where}: the corpus has no symbols.")
    longest = max(len(s) for s in corpus.sequences)
    if longest <= max_lag:
        raise BayesfitError(
            f"{corpus.where}: {what} = {max_lag} but the longest sequence has {longest} "
            f"symbols, so no pair is {max_lag} apart; use {what} <= {longest - 1}.")
    used = np.unique(np.concatenate(corpus.sequences))
    if used.size < 2:
        sym = corpus.alphabet[int(used[0])] if corpus.alphabet else int(used[0])
        raise BayesfitError(
            f"{corpus.where}: every symbol is {sym!r} (one symbol only), so the mutual "
            "information and correlations are identically zero; give sequences with at "
            "least two distinct symbols.")
    return int(max_lag)
