"""``bayesfit simulate MODEL.toml --set NAME=VALUE ... --out PATH``: synthetic data.

Each dataset is evaluated at its inputs: the ``x`` column of its data file when that file
exists, else the grid in its ``simulate`` table (``x = [..]`` or
``x = { start, stop, num, spacing = "linear" | "log" }``). Gaussian noise of sd
``simulate.noise`` (absolute, in the data's units) or ``simulate.noise_rel`` (times |y|)
is added, or ``--noise`` for every dataset. One dataset (or ``--dataset``): PATH is the CSV
file; several: PATH is a folder and each dataset goes to PATH/<basename of its file>.
"""

from __future__ import annotations

import math
import shlex
import sys
from pathlib import Path

from ..errors import BayesfitError, ModelFileError


def add_parser(sub) -> None:
    p = sub.add_parser("simulate", help="make synthetic data from a model file")
    p.add_argument("model", help="model file (TOML)")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="parameter value (every free parameter needs one)")
    p.add_argument("--out", required=True, help="CSV file, or folder for several datasets")
    p.add_argument("--dataset", help="simulate only this dataset")
    p.add_argument("--noise", type=float, help="noise sd for every dataset (data units)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--force", action="store_true",
                   help="overwrite existing files (never done without it)")
    p.set_defaults(run=run)


def _parse_sets(items: list[str], spec) -> dict[str, float]:
    values = {}
    for item in items:
        name, sep, val = item.partition("=")
        name = name.strip()
        if not sep:
            raise BayesfitError(f"--set {item!r}: write NAME=VALUE, e.g. --set J1=-8.5.")
        if name not in spec.parameters:
            raise BayesfitError(f"--set {name}: no such parameter in {spec.path}; parameters "
                                f"are {sorted(spec.parameters)}.")
        try:
            values[name] = float(val)
        except ValueError:
            raise BayesfitError(f"--set {item!r}: {val!r} is not a number.") from None
        if not math.isfinite(values[name]) or abs(values[name]) > 1e100:
            raise BayesfitError(f"--set {item!r}: {name} must be a finite number "
                                "(|value| <= 1e100), not nan or inf.")
    fixed = {k: v for k, v in spec.parameters.items() if isinstance(v, float)}
    missing = sorted(k for k in spec.parameters if k not in values and k not in fixed)
    if missing:
        raise BayesfitError(f"give a value for every free parameter: missing {missing} "
                            "(use --set NAME=VALUE).")
    return {**fixed, **values}


def _grid(d):
    import numpy as np

    if d.file is not None and d.file.is_file():
        return d.read().column(d.x, what="x column")
    g = d.simulate.get("x")
    if isinstance(g, list) and g:
        return np.asarray(g, dtype=float)
    if isinstance(g, dict) and {"start", "stop", "num"} <= set(g):
        make = np.geomspace if g.get("spacing", "linear") == "log" else np.linspace
        return make(float(g["start"]), float(g["stop"]), int(g["num"]))
    raise ModelFileError(f"{d.where}: dataset {d.name!r} has no data file yet and no simulate "
                         "grid; add simulate = {{ x = {{ start = .., stop = .., num = .. }} }}.")


def _paths(out: Path, targets) -> list[Path]:
    if len(targets) == 1:
        return [out]
    return [out / (d.file.name if d.file else f"{d.name}.csv") for d in targets]


def _check_outputs(paths: list[Path], force: bool, spec) -> None:
    """Refuse to overwrite (measured data above all) without --force; all before writing."""
    folders = [p for p in paths if p.is_dir()]
    if folders:
        raise BayesfitError(f"--out {folders[0]} is a folder; give a CSV file path.")
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        data = {d.file.resolve() for d in spec.datasets if d.file is not None}
        p = existing[0]
        kind = "the data file of a dataset in the model file" \
            if p.resolve() in data else "an existing file"
        raise BayesfitError(f"--out {p}: is {kind}; bayesfit simulate does not overwrite files "
                            "without --force. Choose another --out (nothing was written).")


def run(args) -> int:
    import jax.numpy as jnp
    import numpy as np

    from ..io import load_model, write_table

    spec = load_model(args.model)
    params = {k: jnp.asarray(v) for k, v in _parse_sets(args.set, spec).items()}
    targets = [spec.dataset(args.dataset)] if args.dataset else spec.datasets
    out = Path(args.out)
    if args.noise is not None and not (math.isfinite(args.noise) and args.noise >= 0):
        raise BayesfitError(f"--noise {args.noise}: must be a finite number >= 0.")
    paths = _paths(out, targets)
    _check_outputs(paths, args.force, spec)
    rng = np.random.default_rng(args.seed)
    cmd = "bayesfit " + " ".join(shlex.quote(a) for a in sys.argv[1:]) if sys.argv else ""
    tables = []
    for d, path in zip(targets, paths, strict=True):
        x = _grid(d)
        y = np.asarray(d.model.fn(params, jnp.asarray(x)))
        if not np.all(np.isfinite(y)):
            raise BayesfitError(f"{d.where}: dataset {d.name!r}: the model gives non-finite "
                                "values at these parameters and inputs; check the --set values "
                                "and the grid (nothing was written).")
        sd = args.noise if args.noise is not None else d.simulate.get("noise")
        rel = d.simulate.get("noise_rel")
        if sd is not None:
            sigma = np.full_like(y, float(sd))
        elif rel is not None:
            sigma = float(rel) * np.abs(y)
        else:
            sigma = np.zeros_like(y)
        y_obs = y + sigma * rng.standard_normal(y.shape)
        cols = {d.x: x, d.y: y_obs}
        if isinstance(d.sigma, str):
            cols[d.sigma] = sigma
        header = [
            "SYNTHETIC DATA (not measured). Made by bayesfit simulate.",
            f"command: {cmd}",
            f"model file: {spec.path.name}; dataset: {d.name}; seed: {args.seed}",
            "parameters: " + ", ".join(
                f"{k} = {float(v):g} {spec.units.get(k, '')}".rstrip() for k, v in params.items()),
            f"noise: Gaussian, sd = {sd if sd is not None else (f'{rel} x |y|' if rel else 0)}",
            f"units: {d.x} = {d.model.x_units or '1'}, {d.y} = {d.model.y_units or '1'}",
        ]
        tables.append((path, cols, header, x.size, d.name))
    for path, cols, header, n, name in tables:  # written only once every dataset is fine
        write_table(path, cols, header)
        print(f"wrote {path} ({n} points of {name})")
    return 0
