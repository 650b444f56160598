"""The REMC figures build from saved groups and mark what they should."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bayesfit  # noqa: E402


def test_plot_free_energy_marks_sigma_hat(noise_fit):
    fig = bayesfit.plot_free_energy(noise_fit)
    ax = fig.axes[0]
    s_hat = float(noise_fit.noise_table().loc["data", "sigma_hat"])
    xs = [line.get_xdata() for line in ax.get_lines()]
    assert any(np.allclose(x, s_hat) for x in xs)  # the vertical line / the marker
    assert ax.get_xscale() == "log" and ax.get_title() == "data"
    plt.close(fig)


def test_plot_ladder_and_missing_groups(linear_fit):
    fig = bayesfit.plot_ladder(linear_fit.result)
    assert len(fig.axes) == 2
    swap = linear_fit.result.tree["ladder"]["swap_acceptance"].values
    mean_line = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "mean over runs"][0]
    np.testing.assert_allclose(mean_line.get_ydata(), swap.mean(0))
    plt.close(fig)
    with pytest.raises(bayesfit.BayesfitError, match="noise='free_energy'"):
        bayesfit.plot_free_energy(linear_fit.result)


def test_loaded_result_keeps_the_remc_groups(linear_fit):
    res = bayesfit.load(linear_fit.path)
    assert {"ladder", "evidence"} <= set(res.tree.children)
    assert res.log_evidence == pytest.approx(linear_fit.result.log_evidence)
    fig = bayesfit.plot_ladder(res)
    plt.close(fig)
