"""``bayesfit mi CORPUS``: the MI-vs-distance curve of a corpus, ready for a model file.

Writes ``--out`` (CSV: ``r, mi, baseline, mi_corrected, se, log_mi, log_mi_se, n_pairs``
for the lags where the baseline-corrected MI is above ``--min-snr`` standard errors, from
r = 1 on) and the covariance of ``log_mi`` beside it (``<out stem>.cov.csv``), both
atomically; existing files are kept unless ``--force``. MI in nats.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import BayesfitError, DataFileError


def add_parser(sub) -> None:
    p = sub.add_parser("mi", help="mutual information vs distance of a corpus (curve + "
                                  "covariance files)")
    p.add_argument("corpus", nargs="+", help="CoNLL-U file(s) (.conllu, read into one "
                   "corpus), or a text file with one sequence per line, symbols separated by "
                   "spaces")
    p.add_argument("--distance", choices=("sequential", "structural"), default="sequential",
                   help="positions apart, or path length in the dependency tree")
    p.add_argument("--max-lag", type=int, required=True, help="largest distance R")
    p.add_argument("--out", required=True, help="curve CSV to write (e.g. mi.csv)")
    p.add_argument("--estimator", choices=("grassberger", "miller_madow", "plugin"),
                   default="grassberger", help="entropy estimator (default grassberger)")
    p.add_argument("--replicates", type=int, default=200, help="bootstrap replicates")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--min-snr", type=float, default=2.0,
                   help="keep lags up to the first whose corrected MI < min-snr * se")
    p.add_argument("--documents", choices=("newdoc", "sentence"), default="newdoc",
                   help="CoNLL-U: one sequence per '# newdoc' document or per sentence")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def _read(paths: list[str], documents: str):
    from ..sequences import encode, read_conllu

    if all(p.lower().endswith(".conllu") for p in paths):
        return read_conllu(paths, documents=documents)
    if len(paths) > 1:
        raise BayesfitError("give one text corpus, or CoNLL-U files only (.conllu).")
    path = Path(paths[0])
    if not path.is_file():
        raise DataFileError(f"{path}: corpus file not found.")
    lines = [ln.split() for ln in path.read_text(encoding="utf-8").splitlines()]
    seqs = [s for s in lines if s]
    if not seqs:
        raise DataFileError(f"{path}: no sequences (one per line, symbols separated by "
                            "spaces).")
    return encode(seqs, where=str(path))


def run(args) -> int:
    from ..io import write_covariance, write_table
    from ..sequences import MutualInformation, bootstrap_curve

    out = Path(args.out)
    cov_path = out.with_name(out.stem + ".cov.csv")
    for p in (out, cov_path):
        if p.exists() and not args.force:
            raise BayesfitError(f"{p} exists; pass --force to overwrite it or choose another "
                                "--out.")
    corpus = _read(args.corpus, args.documents)
    progress = False if args.no_progress else None
    curve = bootstrap_curve(corpus, args.max_lag, statistic=MutualInformation(args.estimator),
                            distance=args.distance, replicates=args.replicates,
                            seed=args.seed, progress=progress)
    r, y, cov = curve.log_data(args.min_snr)
    n = r.size
    cols = {"r": r, "mi": curve.value[:n], "baseline": curve.baseline[:n],
            "mi_corrected": curve.corrected[:n], "se": curve.se[:n], "log_mi": y,
            "log_mi_se": np.sqrt(np.diag(cov)), "n_pairs": curve.n_pairs[:n]}
    src = " ".join(args.corpus)
    head = [f"bayesfit mi {src} --distance {args.distance} --max-lag {args.max_lag} "
            f"--estimator {args.estimator} --replicates {args.replicates} --seed {args.seed}",
            "mutual information in nats; baseline = within-sequence shuffled; "
            "log_mi = ln(mi - baseline)",
            f"units: r = {'positions' if args.distance == 'sequential' else 'edges'}"]
    write_table(out, cols, head)
    write_covariance(cov_path, r, cov, x_name="r", y_name="log_mi",
                     header=[f"covariance of column log_mi of {out.name} "
                             f"(Bayesian bootstrap over whole sequences, {args.replicates} "
                             "replicates)"])
    print(f"{out}: {n} of {args.max_lag} lags kept (corrected MI above {args.min_snr} se); "
          f"covariance in {cov_path}")
    return 0
