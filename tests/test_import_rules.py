"""The layering rules of DEVELOPERS.md, checked on the source of every module (AST).

Layers, bottom to top (a module may import its own layer and the layers below):

0. ``errors``, ``units``, ``_atomic``, ``_version``, ``_threads``, ``_progress``
1. ``core`` (problems, datasets), ``kernels`` (the registry; built-in kernels are named
   by dotted *strings*, never imported)
2. physics kernels ``spin``, ``theory``, ``ebm``, ``sequences``, ``criticality``; ``io``;
   ``results``
3. ``inference``
4. ``studies``, ``sweeps``, ``cli``; the package root ``bayesfit/__init__.py``

and the two rules that matter most, stated on their own: physics kernels never import
``bayesfit.cli`` or ``bayesfit.inference``; the inference core never imports a physics
kernel. Function-level (lazy) imports count as imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "bayesfit"
LAYER = {
    "errors": 0, "units": 0, "_atomic": 0, "_version": 0, "_threads": 0, "_progress": 0,
    "core": 1, "kernels": 1,
    "spin": 2, "theory": 2, "ebm": 2, "sequences": 2, "criticality": 2, "io": 2,
    "results": 2,
    "inference": 3,
    "studies": 4, "sweeps": 4, "cli": 4,
}
PHYSICS = {"spin", "theory", "ebm", "sequences", "criticality"}
#: known exceptions, each to be moved up a layer (not a licence for new ones):
#: sequences/_compare.py (compare_decay) runs fits through the package root (REMC, fit,
#: compare), i.e. it is a study; its place is bayesfit/studies.
EXCEPTIONS = {("bayesfit/sequences/_compare.py", "bayesfit")}


def _module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str, root: Path = PACKAGE) -> bool:
    base = root.parent / Path(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """``(line, absolute module)`` of every bayesfit import in the file at ``path`` of the
    package folder ``root``."""
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "bayesfit"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                mod = f"{base}.{node.module}" if node.module else base
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "bayesfit":
                continue
            for a in node.names:  # `from pkg import submodule` imports the submodule
                sub = f"{mod}.{a.name}"
                out.append((node.lineno, sub if _is_module(sub, root) else mod))
    return out


def _area(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None  # None: the package root


MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_area_has_a_layer():
    areas = {_area(_module_name(p)) for p in MODULES} - {None}
    assert areas <= set(LAYER), f"give {sorted(areas - set(LAYER))} a layer in this test"


def _violations(rule) -> list[str]:
    bad = []
    for path in MODULES:
        src = _area(_module_name(path))
        if src is None:
            continue  # the package root re-exports the public API from every layer
        rel = str(path.relative_to(PACKAGE.parent))
        for line, target in imports(path):
            if (rel, target) in EXCEPTIONS:
                continue
            why = rule(src, target)
            if why:
                bad.append(f"{rel}:{line} imports {target} ({why})")
    return bad


def test_physics_kernels_never_import_cli_or_inference():
    def rule(src, target):
        if src in PHYSICS and _area(target) in {"cli", "inference"}:
            return "a physics kernel"
        return None

    assert not _violations(rule)


def test_inference_never_imports_a_physics_kernel():
    def rule(src, target):
        if src == "inference" and _area(target) in PHYSICS:
            return "kernels are found through the registry by dotted path"
        return None

    assert not _violations(rule)


def test_nothing_imports_upward():
    def rule(src, target):
        dst = _area(target)
        if dst is None:
            return "the package root is the top layer"
        if LAYER[dst] > LAYER[src]:
            return f"layer {LAYER[dst]} from layer {LAYER[src]}"
        return None

    assert not _violations(rule)


@pytest.mark.parametrize("source, expect", [
    ("from ...inference import fit\n", "bayesfit.inference"),
    ("from ... import __version__\n", "bayesfit"),
    ("from ... import errors\n", "bayesfit.errors"),
    ("def f():\n    from ...cli import main\n", "bayesfit.cli"),
    ("import bayesfit.inference._nuts\n", "bayesfit.inference._nuts"),
])
def test_the_checker_sees_relative_lazy_and_absolute_imports(tmp_path, source, expect):
    """The checker itself, on a planted module ``bayesfit/spin/x/y.py``."""
    root = tmp_path / "bayesfit"
    (root / "spin" / "x").mkdir(parents=True)
    (root / "errors.py").write_text("")
    (root / "spin" / "x" / "y.py").write_text(source)
    assert [m for _, m in imports(root / "spin" / "x" / "y.py", root)] == [expect]
