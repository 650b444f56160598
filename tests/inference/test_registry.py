"""The method registry and the Method interface: strings become option objects in one
place; a method of one's own plugs in by subclassing Method."""

from dataclasses import dataclass
from typing import ClassVar

import jax.numpy as jnp
import numpy as np
import pytest

import bayesfit as bf
from bayesfit.inference import Draws, Method, available_methods, make_method, method_class
from bayesfit.inference._registry import _METHODS


def test_builtin_methods_declare_the_interface():
    assert {"map", "nuts", "emcee", "remc"} <= set(available_methods())
    for name in ("map", "nuts", "emcee", "remc"):
        cls = method_class(name)
        assert issubclass(cls, Method) and cls.name == name
        assert make_method(name).options() == {k: getattr(cls(), k) for k in cls.option_names()}


def test_only_remc_checkpoints(tmp_path):
    for name in ("map", "nuts", "emcee"):
        assert make_method(name).with_checkpoint(tmp_path / "c.npz", resume=True) is None
    remc = make_method("remc").with_checkpoint(tmp_path / "c.npz", resume=True)
    assert remc.checkpoint == str(tmp_path / "c.npz") and remc.resume


def test_unknown_method_and_option_are_named():
    with pytest.raises(bf.BayesfitError, match="unknown inference method 'magic'.*nuts"):
        make_method("magic")
    with pytest.raises(bf.BayesfitError, match=r"m.toml: method 'nuts' has no option\(s\) "
                                               r"\['walkers'\]"):
        make_method("nuts", {"walkers": 3}, where="m.toml")


def test_register_refuses_what_is_not_a_method():
    with pytest.raises(bf.BayesfitError, match="subclass of bayesfit.inference.Method"):
        bf.register_method("bad", dict)
    with pytest.raises(bf.BayesfitError, match="bayesfit method"):
        bf.fit(None, object())


@dataclass(frozen=True)
class PriorDraws(Method):
    """Draws from the prior: the simplest method there is."""

    scale: float = 1.0

    name: ClassVar[str] = "test_prior"

    def run(self, problem, *, chains, draws, warmup, key, progress):
        z = problem.sample_prior_z(key, chains * draws).reshape(chains, draws, -1)
        return Draws(z=jnp.asarray(z), sample_stats={}, groups={}, attrs={})


def test_a_registered_method_runs_through_fit(conjugate):
    bf.register_method("test_prior", PriorDraws)
    try:
        method = make_method("test_prior", {"scale": 2.0})
        r = bf.fit(conjugate.problem(), "test_prior", chains=2, draws=4000, warmup=0, seed=1,
                   progress=False, predictive=False)
    finally:
        _METHODS.pop("test_prior", None)
    assert method.scale == 2.0 and r.config["method"] == "test_prior"
    assert r.config["options"] == {"scale": 1.0}
    # prior draws: mean and sd of the Normal priors of the conjugate problem
    a = r.draws("a")
    assert abs(a.mean() - conjugate.m0[0]) < 4 * conjugate.s0[0] / np.sqrt(a.size)
    assert a.std() == pytest.approx(conjugate.s0[0], rel=0.05)
