"""docs/model-files.md documents every key the code accepts (derived from the code's own
constants), every method option, every kernel and every command-line flag."""

from __future__ import annotations

import dataclasses
import importlib
import re
from pathlib import Path

import pytest

from bayesfit.cli.main import build_parser
from bayesfit.inference import available_methods
from bayesfit.inference._registry import method_class
from bayesfit.io import Sample, _model_file, _priors
from bayesfit.kernels import available_kernels

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "model-files.md"

# kernel -> (module, [kernel] settings constant or None, dataset keys constant)
KERNELS = {
    "function": ("bayesfit.kernels.function", None, "OPTIONS"),
    "spin_cluster": ("bayesfit.spin.kernel", "_SETTINGS", "_OPTIONS"),
    "linear_vae_ode": ("bayesfit.theory._kernel_ode", "SETTINGS", "OPTIONS"),
    "linear_vae_replica": ("bayesfit.theory._kernel_replica", "SETTINGS", "OPTIONS"),
    "matrix_game": ("bayesfit.theory._kernel_game", "SETTINGS", "OPTIONS"),
    "decay": ("bayesfit.sequences._decay", "SETTINGS", "OPTIONS"),
}


def _sections() -> dict[str, str]:
    text = DOC.read_text()
    parts = re.split(r"^#{2,3} (.+)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def _rows(body: str) -> set[str]:
    """Keys in the first column of the section's tables."""
    return set(re.findall(r"^\| `([^`]+)` \|", body, flags=re.M))


def _section(title: str) -> str:
    sections = _sections()
    assert title in sections, f"docs/model-files.md has no section {title!r}"
    return sections[title]


def _assert_documented(keys, title: str) -> None:
    missing = sorted(set(keys) - _rows(_section(title)))
    assert not missing, f"keys accepted by the code but missing in section {title!r}: {missing}"


def test_core_keys_are_documented():
    _assert_documented(_model_file._TOP, "Top level")
    _assert_documented(_priors._META, "[parameters]")
    _assert_documented(_model_file._CORE_DATASET_KEYS, "[[datasets]]")
    _assert_documented(_model_file._SIMULATE_KEYS, "simulate")
    grid = set(re.findall(r"`(\w+)`", _section("simulate")))
    assert _model_file._SIMULATE_GRID_KEYS <= grid
    _assert_documented({f.name for f in dataclasses.fields(Sample)}, "mpms")
    _assert_documented(_model_file._INFERENCE_KEYS, "[inference]")


@pytest.mark.parametrize("method", available_methods())
def test_every_method_option_is_documented(method):
    cls = method_class(method)
    _assert_documented({f.name for f in dataclasses.fields(cls)}, f"Options of `{method}`")
    values = re.findall(r'`"(\w+)"`', _section("[inference]"))
    assert method in values


@pytest.mark.parametrize("kernel", available_kernels())
def test_every_kernel_key_is_documented(kernel):
    assert kernel in KERNELS, f"new kernel {kernel!r}: document it and list it in KERNELS"
    module, settings, options = KERNELS[kernel]
    mod = importlib.import_module(module)
    _assert_documented({"name", *(getattr(mod, settings) if settings else ())},
                       f"`{kernel}`: [kernel] keys")
    _assert_documented(set(getattr(mod, options)), f"`{kernel}`: dataset keys")


def test_every_command_line_flag_is_documented():
    text = _section("Command line")
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in ("fit", "simulate", "summary", "compare"):
        for action in sub.choices[name]._actions:
            for flag in action.option_strings:
                if flag not in ("-h", "--help"):
                    assert flag in text, f"bayesfit {name} {flag} is not in the reference"


def test_readme_links_the_reference():
    assert "docs/model-files.md" in (ROOT / "README.md").read_text()


def test_the_reference_lists_a_key_the_code_rejects_nowhere():
    """The other direction, for the kernels' dataset tables: a documented key is accepted."""
    for kernel, (module, _, options) in KERNELS.items():
        accepted = set(getattr(importlib.import_module(module), options))
        documented = _rows(_section(f"`{kernel}`: dataset keys"))
        assert documented <= accepted, (kernel, sorted(documented - accepted))
