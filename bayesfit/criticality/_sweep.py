"""Temperature sweeps of a sequence generator: ensembles, chi(T), xi(T), P(power | T),
relaxation, and the finite-size table for :func:`fit_fss` (sequence length L = size).

A generator is any ``logits_fn(context) -> logits``: ``context`` holds the last
``context_length`` tokens (int32, left-padded with ``pad`` at the start of a sequence),
``logits`` has one entry per token (natural-log units). At temperature T the next
token is drawn from ``softmax(logits / T)`` (Nakaishi et al., arXiv 2406.05335). For
JAX generators the sampling is one ``lax.scan`` over positions, vmapped over sequences
and temperatures, seeded. ``symbols_fn`` maps tokens to symbols (e.g. a POS tagger).

A generator that is not JAX (GPT-2 in PyTorch + spaCy's tagger) produces the symbols
itself and calls :func:`sweep_from_symbols`::

    import numpy as np, spacy, torch
    from transformers import GPT2LMHeadModel, GPT2TokenizerFast
    from bayesfit.criticality import sweep_from_symbols, UPOS

    tok = GPT2TokenizerFast.from_pretrained("gpt2")     # a local copy, no download
    lm = GPT2LMHeadModel.from_pretrained("gpt2").eval()
    nlp = spacy.load("en_core_web_sm")

    def pos_sequences(temperature, n_seq, n_tokens):
        ids = torch.full((n_seq, 1), tok.bos_token_id)
        out = lm.generate(ids, do_sample=True, temperature=temperature, top_k=0,
                          max_new_tokens=n_tokens, pad_token_id=tok.eos_token_id)
        tags = [[UPOS.index(t.pos_) for t in nlp(tok.decode(o[1:]))] for o in out]
        n = min(map(len, tags))                       # equal lengths per ensemble
        return np.array([t[:n] for t in tags])

    symbols = {(T, L): pos_sequences(T, 200, L) for T in temps for L in (128, 256, 512)}
    sweep = sweep_from_symbols(symbols, n_symbols=len(UPOS))
    fit = fit_fss(sweep.fss_table())                   # T_c, 1/nu, gamma/nu

(``UPOS`` has 17 tags; map spaCy's extra ``SPACE`` tag to ``X`` or drop it.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import jax
import jax.numpy as jnp
import numpy as np

from ._correlation import SequenceStats, sequence_statistics
from ._decay import DecayComparison, compare_decay
from ._table import FSSTable, fss_table


def sample_sequences(logits_fn: Callable, temperatures, n_sequences: int, length: int, *,
                     context_length: int, pad: int = -1, seed: int = 0) -> jax.Array:
    """Token arrays (n_T, n_sequences, length) at every temperature (seeded)."""
    temps = jnp.atleast_1d(jnp.asarray(temperatures, dtype=jnp.float64))
    keys = jax.random.split(jax.random.PRNGKey(seed), temps.shape[0] * n_sequences)
    keys = keys.reshape(temps.shape[0], n_sequences, -1)

    def one(key, temperature):
        ctx0 = jnp.full((context_length,), pad, dtype=jnp.int32)

        def body(ctx, k):
            logits = logits_fn(ctx)
            tok = jax.random.categorical(k, logits / temperature).astype(jnp.int32)
            return jnp.concatenate([ctx[1:], tok[None]]), tok

        _, toks = jax.lax.scan(body, ctx0, jax.random.split(key, length))
        return toks

    f = jax.jit(jax.vmap(jax.vmap(one, in_axes=(0, None)), in_axes=(0, 0)))
    return f(keys, temps)


@dataclass
class SweepResult:
    """Per (L, T) statistics of a sweep; rows sorted by L then T.

    ``chi``/``dchi``: integrated connected correlation and its bootstrap SE;
    ``xi``: correlation length (symbols) of the exponential fit; ``p_power``:
    P(power law | T); ``alpha``: power-law exponent; ``tau``: integrated relaxation
    time (symbols). ``stats`` keeps the full :class:`SequenceStats` per row.
    """

    size: np.ndarray
    temperature: np.ndarray
    chi: np.ndarray
    dchi: np.ndarray
    xi: np.ndarray
    p_power: np.ndarray
    alpha: np.ndarray
    tau: np.ndarray
    stats: list = field(repr=False, default_factory=list)

    def fss_table(self, log: bool = False) -> FSSTable:
        """(L, T, chi, dchi) for :func:`fit_fss` (``log=True``: log chi, dchi / chi)."""
        if log:
            return fss_table(self.size, self.temperature, np.log(self.chi),
                             self.dchi / self.chi, source="sweep")
        return fss_table(self.size, self.temperature, self.chi, self.dchi, source="sweep")

    def rows(self) -> list[dict]:
        keys = ("size", "temperature", "chi", "dchi", "xi", "p_power", "alpha", "tau")
        return [{k: float(getattr(self, k)[i]) for k in keys} for i in range(self.size.size)]


def _max_lag_default(length: int) -> int:
    return length // 2


def sweep_from_symbols(symbols: dict, n_symbols: int, *, max_lag: Callable = _max_lag_default,
                       channel=None, compare: Callable = compare_decay, n_boot: int = 100,
                       seed: int = 0) -> SweepResult:
    """Statistics of symbol ensembles ``{(T, L): int array (n_seq, L)}``.

    ``compare(r, curve, cov) -> DecayComparison`` decides power law vs exponential at
    every T (default :func:`compare_decay`).
    """
    rows = []
    for (temp, _length), seqs in sorted(symbols.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        seqs = np.asarray(seqs)
        stats: SequenceStats = sequence_statistics(seqs, n_symbols, max_lag(seqs.shape[1]),
                                                   channel=channel, n_boot=n_boot, seed=seed)
        r = np.arange(1, stats.curve.size)
        dec: DecayComparison = compare(r, stats.curve[1:], stats.curve_cov[1:, 1:])
        rows.append((seqs.shape[1], temp, stats.chi, stats.dchi, dec.xi, dec.p_power,
                     dec.alpha, stats.tau, stats))
    cols = list(zip(*rows, strict=False))
    return SweepResult(*(np.asarray(c, dtype=float) for c in cols[:8]), stats=list(cols[8]))


def temperature_sweep(logits_fn: Callable, temperatures, lengths, *, n_sequences: int,
                      n_symbols: int, context_length: int, pad: int = -1,
                      symbols_fn: Callable | None = None, max_lag: Callable = _max_lag_default,
                      channel=None, compare: Callable = compare_decay, n_boot: int = 100,
                      seed: int = 0) -> SweepResult:
    """Sample ``n_sequences`` sequences of every length L at every temperature, map them
    to symbols (``symbols_fn``, default identity) and compute the sweep statistics.

    ``temperatures``: the grid (units of the logits); ``lengths``: the "system sizes".
    """
    symbols = {}
    temps = np.asarray(temperatures, dtype=float)
    for j, length in enumerate(lengths):
        toks = sample_sequences(logits_fn, temps, n_sequences, int(length),
                                context_length=context_length, pad=pad, seed=seed + j)
        toks = np.asarray(toks if symbols_fn is None else symbols_fn(toks))
        for i, t in enumerate(temps):
            symbols[(float(t), int(length))] = toks[i]
    return sweep_from_symbols(symbols, n_symbols, max_lag=max_lag, channel=channel,
                              compare=compare, n_boot=n_boot, seed=seed)
