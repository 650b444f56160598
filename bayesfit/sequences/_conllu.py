"""CoNLL-U files (Universal Dependencies) into documents of UPOS codes and dependency trees.

Parsing is done by the ``conllu`` package; this module splits the file into sentence blocks
only to report line numbers, and checks what the analyses need (a UPOS tag and an integer
HEAD on every word, one root and no cycle per sentence). Multi-word tokens (``3-4``) and
empty nodes (``8.1``) are skipped: the symbols are the syntactic words.
"""

from __future__ import annotations

from pathlib import Path

import conllu
import numpy as np

from ..errors import DataFileError
from ._symbols import Corpus, Tree

UPOS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
        "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X")


def _blocks(text: str):
    """``(first line number, block text)`` for every blank-line separated block."""
    start, lines = None, []
    for i, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if start is None:
                start = i
            lines.append(line)
        elif lines:
            yield start, "\n".join(lines) + "\n"
            start, lines = None, []
    if lines:
        yield start, "\n".join(lines) + "\n"


def _depths(parent: np.ndarray, where: str) -> None:
    """Raise unless ``parent`` is one tree (a single root, no cycle)."""
    roots = np.flatnonzero(parent < 0)
    if roots.size != 1:
        raise DataFileError(f"{where}: the sentence has {roots.size} roots (HEAD = 0); a "
                            "dependency tree needs exactly one.")
    node = np.arange(parent.size)
    for _ in range(parent.size):
        node = np.where(node >= 0, parent[np.maximum(node, 0)], -1)
    if np.any(node >= 0):
        raise DataFileError(f"{where}: the HEAD column has a cycle; every word must reach "
                            "the root.")


def _sentence(block: str, line: int, where: str, index: dict, alphabet: list):
    try:
        sents = conllu.parse(block)
    except conllu.exceptions.ParseException as err:
        at = line
        for k, text in enumerate(block.splitlines()):
            try:
                conllu.parse(text + "\n")
            except conllu.exceptions.ParseException:
                at = line + k
                break
        raise DataFileError(f"{where}:{at}: not valid CoNLL-U ({err}).") from None
    if len(sents) != 1:
        raise DataFileError(f"{where}:{line}: expected one sentence in this block.")
    sent = sents[0]
    words = [t for t in sent if isinstance(t["id"], int)]
    if not words:
        return sent.metadata, None
    body = [ln for ln in block.splitlines() if not ln.startswith("#")]
    codes, heads = [], []
    for k, tok in enumerate(words):
        ln = line + block.splitlines().index(body[0]) + k
        upos, head = tok.get("upos"), tok.get("head")
        if upos in (None, "_") or not isinstance(head, int):
            raise DataFileError(
                f"{where}:{ln}: word {tok['id']} has UPOS {upos!r} and HEAD {head!r}; every "
                "word needs a UPOS tag (column 4) and an integer HEAD (column 7) - is a "
                "column missing or are the columns not tab-separated?")
        if tok["id"] != k + 1 or not 0 <= head <= len(words):
            raise DataFileError(f"{where}:{ln}: word ids must run 1..n and HEAD 0..n; got id "
                                f"{tok['id']}, HEAD {head}.")
        if upos not in index:
            index[upos] = len(alphabet)
            alphabet.append(upos)
        codes.append(index[upos])
        heads.append(head - 1)
    parent = np.asarray(heads, dtype=np.int64)
    _depths(parent, f"{where}:{line}")
    labels = np.asarray(codes, dtype=np.int32)
    return sent.metadata, Tree(parent, labels, np.arange(labels.size))


def read_conllu(path, *, documents: str = "newdoc") -> Corpus:
    """Read CoNLL-U file(s) into documents of UPOS codes and one dependency tree per sentence.

    ``path``: a file or a list of files (read in order into one corpus).
    ``documents="newdoc"`` joins the sentences between ``# newdoc`` comments into one
    sequence (a file without any is one document); ``"sentence"`` makes every sentence its
    own sequence. The alphabet is the 17 UPOS tags in the order of ``UPOS`` plus any other
    tag in order of appearance. Errors name the file and line.
    """
    if documents not in ("newdoc", "sentence"):
        raise DataFileError(f"documents = {documents!r}; use 'newdoc' or 'sentence'.")
    paths = [Path(p) for p in path] if isinstance(path, list | tuple) else [Path(path)]
    alphabet = list(UPOS)
    index = {u: i for i, u in enumerate(alphabet)}
    docs: list[list[np.ndarray]] = []
    trees: list[Tree] = []
    for path in paths:
        if not path.is_file():
            raise DataFileError(f"{path}: CoNLL-U file not found.")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise DataFileError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start}); "
                                "CoNLL-U files are UTF-8.") from None
        n_before = len(trees)
        first = True
        for line, block in _blocks(text):
            meta, tree = _sentence(block, line, str(path), index, alphabet)
            if tree is None:
                continue
            if first or documents == "sentence" or "newdoc id" in meta or "newdoc" in meta:
                docs.append([])
            first = False
            docs[-1].append(tree.labels)
            trees.append(tree)
        if len(trees) == n_before:
            raise DataFileError(f"{path}: no sentences found; is this a CoNLL-U file (one word "
                                "per line, ten tab-separated columns, blank line after each "
                                "sentence)?")
    seqs = [np.concatenate(d) for d in docs if d]
    where = str(paths[0]) if len(paths) == 1 else " + ".join(map(str, paths))
    return Corpus(seqs, tuple(alphabet), trees, where)
