"""Bad inputs against ``bayesfit fit`` and ``bayesfit simulate``, table-driven.

Every case runs the command in-process (``main(argv)``) on a fresh copy of a small model
and its data, and asserts: exit status 2, a message that names the file (and line) or the
parameter/option, no traceback, and that no file that existed before was changed or
removed, and no result was written. A few cases run as a subprocess to prove that the real
command prints no traceback either. Each case stops before any sampling: the checks come
first, which is what keeps the table cheap.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bayesfit.cli.main import main
from bayesfit.io import read_table

from . import _helpers
from ._helpers import line_model, write_model

LINE = line_model('method = "map"\ndraws = 50\n',
                  extra="simulate = { x = { start = 0, stop = 3, num = 4 } }")
LINE_DATA = "# units: t = s, y = m\n" + _helpers.LINE_DATA

DIMER = """title = "dimer"
[kernel]
name = "spin_cluster"
spins = [0.5, 0.5]
bonds = { J = [[0, 1]] }
convention = "-2J"
energy_unit = "K"
[parameters]
J = { prior = "Uniform", low = -1000.0, high = 200.0, units = "K" }
g = { prior = "Uniform", low = 1.8, high = 2.3, units = "1" }
[[datasets]]
name = "chiT"
file = "data.csv"
x = "T_K"
y = "chiT"
observable = "chiT"
x_units = "K"
y_units = "emu K/mol"
[inference]
method = "nuts"
draws = 50
warmup = 50
"""
DIMER_DATA = "T_K,chiT\n2,0.001\n50,0.05\n100,0.2\n200,0.3\n300,0.35\n"

M = "m.toml"  # the model file: messages must name it (or the data file) and a line


def _sub(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# id: (base, model edits [(old, new)], data text or bytes or None, argv tail, needle regex)
# argv tail: "fit" uses ["fit", m.toml, "--out", out]; "sim" uses ["simulate", m.toml, ...]
CASES = {
    # -- model file: kernel, parameters, priors -------------------------------------------
    "unknown kernel": ("line", [('name = "function"', 'name = "nope"')], None, "fit",
                       rf"{M}:2: unknown kernel 'nope'"),
    "fixed and free": ("line", [('scale = 5.0, units = "m/s"', 'scale = 5.0, value = 1.0')], None,
                       "fit", rf"{M}:5: parameter 'a' is both fixed .* and free"),
    "unknown unit": ("line", [('"m/s"', '"furlong"')], None, "fit",
                     rf"{M}:5: .*unknown unit 'furlong'"),
    "init outside prior": ("line", [('prior = "Normal", loc = 0.0, scale = 5.0, units = "m/s"',
                                     'prior = "Uniform", low = 0.0, high = 1.0, init = 3.0')],
                           None, "fit", rf"{M}:5: parameter 'a': initial value init = 3.0 lies "
                           r"outside the support \[0, 1\] of its Uniform prior"),
    "undefined parameter in expression": ("line", [('"a * x + b"', '"a * x + c"')], None, "fit",
                                          rf"{M}:14: dataset 'pos': the expression uses "
                                          r"parameter 'c', which \[parameters\] does not "
                                          r"define"),
    "unknown prior": ("line", [('prior = "Normal", loc = 0.0, scale = 5.0, units = "m"',
                                'prior = "Normall", loc = 0.0')], None, "fit",
                      rf"{M}:6: parameter 'b': unknown prior 'Normall'"),
    "uniform low > high": ("line", [('prior = "Normal", loc = 0.0, scale = 5.0, units = "m/s"',
                                     'prior = "Uniform", low = 5.0, high = -5.0')], None, "fit",
                           rf"{M}:5: parameter 'a': Uniform needs low < high"),
    "uniform low == high": ("line", [('prior = "Normal", loc = 0.0, scale = 5.0, units = "m/s"',
                                      'prior = "Uniform", low = 1.0, high = 1.0')], None, "fit",
                            rf"{M}:5: parameter 'a': Uniform needs low < high"),
    "prior bound 1e300": ("line", [('prior = "Normal", loc = 0.0, scale = 5.0, units = "m/s"',
                                    'prior = "Uniform", low = -1e300, high = 1e300')], None,
                          "fit", rf"{M}:5: parameter 'a': Uniform low = -1e\+300"),
    "prior bound inf": ("line", [('prior = "Normal", loc = 0.0, scale = 5.0, units = "m/s"',
                                  'prior = "Uniform", low = 0.0, high = inf')], None, "fit",
                        rf"{M}:5: parameter 'a': Uniform high = inf"),
    "prior loc nan": ("line", [("loc = 0.0, scale = 5.0, units = \"m/s\"",
                                "loc = nan, scale = 5.0")], None, "fit",
                      rf"{M}:5: parameter 'a': Normal loc = nan"),
    "prior scale zero": ("line", [("scale = 5.0, units = \"m/s\"", "scale = 0.0")], None, "fit",
                         rf"{M}:5: parameter 'a': Normal.* is invalid"),
    "prior scale negative": ("line", [("scale = 5.0, units = \"m\"", "scale = -1.0")], None,
                             "fit", rf"{M}:6: parameter 'b': Normal.* is invalid"),
    "fixed value 1e300": ("line", [('prior = "Normal", loc = 0.0, scale = 5.0, units = "m"',
                                    'value = 1e300')], None, "fit",
                          rf"{M}:6: parameter 'b': value 1e\+300 is not a usable number"),
    "prior missing": ("line", [('prior = "Normal", loc = 0.0, scale = 5.0, units = "m"',
                                'units = "m"')], None, "fit",
                      rf"{M}:6: parameter 'b' needs either 'prior'"),
    "spin parameter typo": ("dimer", [("J = {", "JJ = {")], None, "fit",
                            rf"{M}:9: parameter 'JJ' is not used .* did you mean 'J'"),
    "spin parameter missing": ("dimer", [('g = { prior = "Uniform", low = 1.8, high = 2.3, '
                                          'units = "1" }\n', "")], None, "fit",
                               rf"{M}:8: \[parameters\] lacks \['g'\]"),
    "spin unknown kernel key": ("dimer", [("spins =", "spinz =")], None, "fit",
                                rf"{M}:2: unknown \[kernel\] keys \['spinz'\]"),
    "spin unknown observable": ("dimer", [('observable = "chiT"', 'observable = "chit"')], None,
                                "fit", rf"{M}:12: dataset 'chiT': observable = 'chit'"),
    "magnetization without temperature": ("dimer", [('observable = "chiT"',
                                                     'observable = "magnetization"'),
                                                    ('x_units = "K"', 'x_units = "T"'),
                                                    ('y_units = "emu K/mol"',
                                                     'y_units = "mu_B/f.u."')],
                                          None, "fit", rf"{M}:12: .*needs temperature_K"),
    # -- model file: structure, datasets, inference -----------------------------------------
    "not TOML": ("line", [("[kernel]", "[kernel")], None, "fit", rf"{M}: not valid TOML"),
    "unknown top-level key": ("line", [("[kernel]", "[kernal]")], None, "fit",
                              rf"{M}: unknown top-level keys"),
    "unknown dataset key": ("line", [('y_units = "m"', 'y_units = "m"\nwavelength = 3')], None,
                            "fit", rf"{M}:8: .*unknown dataset keys \['wavelength'\]"),
    "sigma zero": ("line", [('y_units = "m"', 'y_units = "m"\nsigma = 0')], None, "fit",
                   rf"{M}:8: dataset 'pos': sigma = 0 must be > 0"),
    "sigma 1e300": ("line", [('y_units = "m"', 'y_units = "m"\nsigma = 1e300')], None, "fit",
                    rf"{M}:8: dataset 'pos': sigma = 1e\+300 must be > 0 and <= 1e\+100"),
    "duplicate dataset names": ("line", [("[inference]", '[[datasets]]\nname = "pos"\nfile = '
                                          '"data.csv"\nx = "t"\ny = "y"\nexpression = "a"\n'
                                          "[inference]")], None, "fit",
                                rf"{M}: dataset names must be unique"),
    "dataset name not identifier": ("line", [('name = "pos"', 'name = "pos-1"')], None, "fit",
                                    rf"{M}:8: dataset name 'pos-1' must be an identifier"),
    "unknown method": ("line", [('method = "map"', 'method = "magic"')], None, "fit",
                       r"unknown inference method 'magic'"),
    "draws zero": ("line", [("draws = 50", "draws = 0")], None, "fit",
                   rf"{M}:16: \[inference\] draws = 0 must be a positive integer"),
    "chains not a number": ("line", [("draws = 50", 'chains = "four"')], None, "fit",
                            rf"{M}:16: \[inference\] chains = 'four'"),
    "unknown inference key": ("line", [("[inference]", "[inference]\nwalkers = 3")], None,
                              "fit", rf"{M}:16: unknown \[inference\] keys"),
    "unknown method option": ("line", [("draws = 50", "draws = 50\n[inference.options]\n"
                                        "restartz = 3")], None, "fit",
                              rf"{M} \[inference.options\]: method 'map' has no option"),
    "unknown method table": ("line", [("draws = 50", "draws = 50\n[inference.nust]\n"
                                       "dense_mass = true")], None, "fit",
                             rf"{M}: \[inference.nust\] names no inference method"),
    "bad option of another method": ("line", [("draws = 50", "draws = 50\n[inference.remc]\n"
                                               "replicaz = 4")], None, "fit:--method=remc",
                                     rf"{M} \[inference.remc\]: method 'remc' has no option"),
    "bad remc option": ("line", [('method = "map"', 'method = "remc"'),
                                 ("draws = 50", "draws = 50\n[inference.options]\nreplicas = 1")],
                        None, "fit", r"REMC: replicas must be .*>= 3"),
    # -- data files ----------------------------------------------------------------------------
    "data file missing": ("line", [('file = "data.csv"', 'file = "missing.csv"')], None, "fit",
                          r"missing.csv: data file not found"),
    "x column missing": ("line", [('x = "t"', 'x = "time"')], None, "fit",
                         r"data.csv: no x column named 'time'"),
    "nan in data": ("line", [], "t,y\n0,1\n1,nan\n", "fit",
                    r"data.csv:3: column 'y' holds a non-finite"),
    "text in data": ("line", [], "t,y\n0,1\n1,abc\n", "fit",
                     r"data.csv:3: column 'y' holds 'abc', not a number"),
    "data value 1e300": ("line", [], "t,y\n0,1\n1,1e300\n2,3\n", "fit",
                         r"data.csv:3: column 'y' holds 1e300, beyond the range"),
    "ragged row": ("line", [], "t,y\n0,1\n1,2,3\n", "fit", r"data.csv:3: 3 values but 2 columns"),
    "repeated columns": ("line", [], "t,t\n0,1\n", "fit", r"data.csv:1: repeated column names"),
    "header only": ("line", [], "t,y\n", "fit", r"data.csv: the file has a header but no data"),
    "comments only": ("line", [], "# nothing here\n", "fit", r"data.csv: no header row"),
    "binary data file": ("line", [], b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "fit",
                         r"data.csv: this is a binary file"),
    "latin-1 data file": ("line", [], "# Temp\xe9rature\nt,y\n0,1\n".encode("latin-1"), "fit",
                          r"data.csv:1: byte 0xe9 is not UTF-8"),
    "utf-16 data file": ("line", [], LINE_DATA.encode("utf-16"), "fit",
                         r"data.csv: the file is UTF-16"),
    "semicolon delimiter": ("line", [], "t;y\n0;1\n1;3\n", "fit",
                            r"data.csv:1: the columns are separated by semicolons"),
    "tab delimiter": ("line", [], "t\ty\n0\t1\n1\t3\n", "fit",
                      r"data.csv:1: the columns are separated by tabs"),
    "sigma column negative": ("line", [('y_units = "m"', 'y_units = "m"\nsigma = "s"')],
                              "t,y,s\n0,1,0.1\n1,3,-0.1\n", "fit",
                              r"dataset 'pos' \(.*data.csv\): sigma must be > 0"),
    "spin temperature zero": ("dimer", [], "T_K,chiT\n2,0.001\n0,0.05\n100,0.2\n", "fit",
                              r"data.csv:3: temperature T_K = 0 K; temperatures must be > 0"),
    "spin temperature negative": ("dimer", [], "T_K,chiT\n-2,0.001\n50,0.05\n100,0.2\n", "fit",
                                  r"data.csv:2: temperature T_K = -2 K"),
    "spin negative chiT": ("dimer", [], "T_K,chiT\n2,-0.001\n50,-0.05\n100,-0.2\n200,-0.3\n"
                           "300,-0.35\n", "fit", r"data.csv:\d: chi\*T = -0.\d+ emu K/mol is "
                           r"negative beyond its noise"),
    # -- command line and output folder -------------------------------------------------------
    "out holds an earlier fit": ("line", [], None, "fit:existing-fit",
                                 r"--out .*out already holds an earlier fit \(fit.nc\)"),
    "out holds other files": ("line", [], None, "fit:existing-files",
                              r"--out .*out already holds 1 file\(s\) \(notes.txt\)"),
    "out is a file": ("line", [], None, "fit:out-file", r"--out .*out: exists and is not a "
                      "folder"),
    "out not writable": ("line", [], None, "fit:out-unwritable", r"--out .*: cannot write there"),
    "resume without checkpoint": ("line", [('method = "map"', 'method = "remc"')], None,
                                  "fit:resume", r"--resume: .*out holds no checkpoint.npz"),
    "resume with map": ("line", [], None, "fit:resume-map",
                        r"method 'map' does not checkpoint"),
    "negative draws flag": ("line", [], None, "fit:--draws=-1", r"--draws -1: must be >= 1"),
    "simulate set nan": ("line", [], None, "sim:a=nan", r"--set 'a=nan': a must be a finite"),
    "simulate set inf": ("line", [], None, "sim:a=inf", r"--set 'a=inf': a must be a finite"),
    "simulate set not a number": ("line", [], None, "sim:a=one", r"'one' is not a number"),
    "simulate set no equals": ("line", [], None, "sim:a", r"--set 'a': write NAME=VALUE"),
    "simulate unknown parameter": ("line", [], None, "sim:zz=1",
                                   rf"--set zz: no such parameter in .*{M}"),
    "simulate missing parameter": ("line", [], None, "sim-missing",
                                   r"missing \['b'\] \(use --set NAME=VALUE\)"),
    "simulate over data file": ("line", [], None, "sim-over-data",
                                r"data.csv: is the data file of a dataset in the model file"),
    "simulate over existing file": ("line", [], None, "sim-over-file",
                                    r"old.csv: is an existing file"),
    "simulate negative noise": ("line", [], None, "sim-noise", r"--noise -1.0: must be"),
    "model file missing": ("line", [], None, "fit-missing-model", r"nope.toml: model file not "
                           "found"),
    "model file binary": ("line", [], None, "fit-binary-model", rf"{M}: not a UTF-8 text file"),
}


def _snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _prepare(tmp: Path, base: str, edits, data, mode: str) -> list[str]:
    text = LINE if base == "line" else DIMER
    for old, new in edits:
        text = _sub(text, old, new)
    payload = data if data is not None else (LINE_DATA if base == "line" else DIMER_DATA)
    model, out = write_model(tmp, text, payload, M), tmp / "out"
    fit = ["fit", str(model), "--out", str(out), "--no-plots", "--no-progress"]
    sim = ["simulate", str(model), "--set", "a=1", "--set", "b=2"]
    if mode == "fit":
        return fit
    if mode.startswith("fit:--"):
        return [*fit, *mode[4:].split("=", 1)]
    if mode == "fit:existing-fit":
        out.mkdir()
        (out / "fit.nc").write_bytes(b"an earlier result")
        return fit
    if mode == "fit:existing-files":
        out.mkdir()
        (out / "notes.txt").write_text("mine")
        return fit
    if mode == "fit:out-file":
        out.write_text("a file")
        return fit
    if mode == "fit:out-unwritable":  # below a regular file: no folder can be made there
        (tmp / "plain").write_text("x")
        return ["fit", str(model), "--out", str(tmp / "plain" / "out"), "--no-plots"]
    if mode in ("fit:resume", "fit:resume-map"):
        return [*fit, "--resume"]
    if mode.startswith("sim:"):
        return ["simulate", str(model), "--set", mode[4:], "--out", str(tmp / "sim.csv")]
    if mode == "sim-missing":
        return ["simulate", str(model), "--set", "a=1", "--out", str(tmp / "sim.csv")]
    if mode == "sim-over-data":
        return [*sim, "--out", str(tmp / "data.csv")]
    if mode == "sim-over-file":
        (tmp / "old.csv").write_text("t,y\n0,0\n")
        return [*sim, "--out", str(tmp / "old.csv")]
    if mode == "sim-noise":
        return [*sim, "--noise", "-1", "--out", str(tmp / "sim.csv")]
    if mode == "fit-missing-model":
        return ["fit", str(tmp / "nope.toml")]
    if mode == "fit-binary-model":
        model.write_bytes(b"\xff\xfe\x00title\x00")
        return fit
    raise AssertionError(mode)


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input(tmp_path, capsys, case):
    base, edits, data, mode, needle = CASES[case]
    argv = _prepare(tmp_path, base, edits, data, mode)
    before = _snapshot(tmp_path)
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2, err
    assert re.search(needle, err), err
    assert "Traceback" not in err and err.count("\n") <= 2, err
    assert _snapshot(tmp_path) == before  # nothing changed, nothing written


def test_table_is_big_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", ["spin temperature zero", "out holds an earlier fit"])
def test_bad_input_subprocess_has_no_traceback(tmp_path, case):
    base, edits, data, mode, needle = CASES[case]
    argv = _prepare(tmp_path, base, edits, data, mode)
    before = _snapshot(tmp_path)
    p = subprocess.run([sys.executable, "-m", "bayesfit.cli.main", *argv], capture_output=True,
                       text=True, cwd=tmp_path, timeout=300)
    assert p.returncode == 2, p.stderr
    assert re.search(needle, p.stderr), p.stderr
    assert "Traceback" not in p.stderr
    assert _snapshot(tmp_path) == before


def test_bom_and_crlf_are_read(tmp_path):
    """A UTF-8 byte-order mark (Excel's CSV export) and CRLF line ends are not errors."""
    path = tmp_path / "data.csv"
    path.write_bytes(b"\xef\xbb\xbf" + LINE_DATA.replace("\n", "\r\n").encode())
    table = read_table(path)
    assert list(table.columns) == ["t", "y"] and table.units == {"t": "s", "y": "m"}
    assert table.columns["y"].tolist() == [1.0, 3.0, 5.1, 6.9]
    assert table.lines.tolist() == [3, 4, 5, 6]
