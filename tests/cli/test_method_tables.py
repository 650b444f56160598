"""``[inference.<method>]`` tables: the options a model file gives a method other than its
own, used when it is fitted with ``--method <method>`` (and merged into
``[inference.options]`` for its own method)."""

from __future__ import annotations

import argparse

from bayesfit.cli._fit import _method
from bayesfit.inference.remc import REMC
from bayesfit.io import load_model

from ._helpers import LINE_DATA, line_model, write_model

INFERENCE = ('method = "nuts"\ndraws = 50\n[inference.options]\ndense_mass = true\n'
             'restarts = 3\n[inference.remc]\nmass = "dense"\nleapfrog_steps = 5\n'
             '[inference.nuts]\nrestarts = 4\n')


def _args(method=None):
    return argparse.Namespace(method=method, resume=False)


def test_method_tables_give_the_options_of_the_method_run(tmp_path):
    spec = load_model(write_model(tmp_path, line_model(INFERENCE), LINE_DATA))
    inf = spec.inference
    assert inf.options_for("remc") == {"mass": "dense", "leapfrog_steps": 5}
    # the file's own method: [inference.options] updated by its table
    assert inf.options_for("nuts") == {"dense_mass": True, "restarts": 4}
    assert inf.options_for("map") == {}
    remc = _method(spec, _args("remc"), tmp_path / "out")
    assert isinstance(remc, REMC)
    assert (remc.mass, remc.leapfrog_steps) == ("dense", 5)
    assert REMC().mass == "diag"  # the table, not the default, made it dense
    nuts = _method(spec, _args(), tmp_path / "out")
    assert (nuts.dense_mass, nuts.restarts) == (True, 4)
    # a method without a table gets its defaults, not another method's options
    assert _method(spec, _args("map"), tmp_path / "out").restarts == 16
