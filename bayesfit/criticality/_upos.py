"""A small autoregressive model of UPOS tag sequences (equinox + optax), for sweeps.

Tags of Universal Dependencies treebanks (CoNLL-U, read with the ``conllu`` package),
sentences concatenated per file into one stream. The model sees the last
``context_length`` tags (left-padded with a pad token at the start), embeds each
(``embed`` dims), and an MLP gives logits over the 17 UPOS tags (natural-log units).
Training is minibatch Adam on the next-tag cross-entropy, seeded, so
:func:`train_upos_model` is deterministic for a given seed and data.
"""

from __future__ import annotations

from pathlib import Path

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax

from ..errors import DataFileError

UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
        "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X")


def read_upos(path) -> np.ndarray:
    """All UPOS tags of a CoNLL-U file as one int array (indices into :data:`UPOS`)."""
    import conllu

    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: CoNLL-U file not found.")
    index = {t: i for i, t in enumerate(UPOS)}
    out = []
    with open(path, encoding="utf-8") as fh:
        for sent in conllu.parse_incr(fh):
            for tok in sent:
                if isinstance(tok["id"], int) and tok["upos"] in index:
                    out.append(index[tok["upos"]])
    if not out:
        raise DataFileError(f"{path}: no UPOS tags found; is it a CoNLL-U file?")
    return np.asarray(out, dtype=np.int32)


class UposModel(eqx.Module):
    """Embedding of the last k tags + MLP -> logits over the 17 tags."""

    embed: eqx.nn.Embedding
    mlp: eqx.nn.MLP
    context_length: int = eqx.field(static=True)

    def __init__(self, key, context_length: int = 8, embed: int = 8, width: int = 32):
        k1, k2 = jax.random.split(key)
        self.embed = eqx.nn.Embedding(len(UPOS) + 1, embed, key=k1)  # last = pad
        self.mlp = eqx.nn.MLP(context_length * embed, len(UPOS), width, 2, key=k2)
        self.context_length = context_length

    def __call__(self, context):
        idx = jnp.where(context < 0, len(UPOS), context)
        return self.mlp(jax.vmap(self.embed)(idx).reshape(-1))


def _windows(tags, k):
    padded = np.concatenate([-np.ones(k, np.int32), tags])
    idx = np.arange(tags.size)[:, None] + np.arange(k)[None, :]
    return padded[idx], tags


def train_upos_model(tags, *, context_length: int = 8, steps: int = 600, batch: int = 256,
                     learning_rate: float = 3e-3, seed: int = 0):
    """Train :class:`UposModel` on the tag stream ``tags``; returns ``(model, losses)``
    (mean cross-entropy in nats per tag, every step)."""
    x, y = _windows(np.asarray(tags, np.int32), context_length)
    key = jax.random.PRNGKey(seed)
    k_model, k_data = jax.random.split(key)
    model = UposModel(k_model, context_length)
    opt = optax.adam(learning_rate)
    params, static = eqx.partition(model, eqx.is_inexact_array)
    x, y = jnp.asarray(x), jnp.asarray(y)

    def loss_fn(p, xb, yb):
        m = eqx.combine(p, static)
        logits = jax.vmap(m)(xb)
        return jnp.mean(optax.softmax_cross_entropy_with_integer_labels(logits, yb))

    @jax.jit
    def run(params, key):
        def body(carry, k):
            p, st = carry
            i = jax.random.randint(k, (batch,), 0, x.shape[0])
            loss, g = jax.value_and_grad(loss_fn)(p, x[i], y[i])
            upd, st = opt.update(g, st, p)
            return (optax.apply_updates(p, upd), st), loss

        (p, _), losses = jax.lax.scan(body, (params, opt.init(params)),
                                      jax.random.split(key, steps))
        return p, losses

    params, losses = run(params, k_data)
    return eqx.combine(params, static), np.asarray(losses)


def upos_cross_entropy(model: UposModel, tags) -> float:
    """Mean next-tag cross-entropy (nats per tag) of ``model`` on a tag stream."""
    x, y = _windows(np.asarray(tags, np.int32), model.context_length)
    logits = jax.vmap(model)(jnp.asarray(x))
    return float(jnp.mean(optax.softmax_cross_entropy_with_integer_labels(logits,
                                                                          jnp.asarray(y))))
