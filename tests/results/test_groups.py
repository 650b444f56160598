"""Every registered result group round-trips: object -> Dataset -> netCDF -> object."""

import dataclasses

import numpy as np
import pytest
import xarray as xr

from bayesfit.results._groups import (
    EnsembleDiagnostics,
    Evidence,
    Ladder,
    MapEstimate,
    NoiseLevels,
    NoiseRay,
    PredictedQuantity,
    Predictions,
    group_schemas,
    read_group,
)

rng = np.random.default_rng(0)
SAMPLES = {
    "evidence": Evidence(-10.5, 0.2, -10.4, 0.3, 0.25, 0.1, rng.normal(size=3),
                         rng.normal(size=3), note="noise known", mirror_images=2,
                         mirror_correction=float(np.log(2))),
    "ladder": Ladder(beta=rng.random((2, 5)), mean_log_likelihood=rng.normal(size=(2, 5)),
                     var_log_likelihood=rng.random((2, 5)), move_acceptance=rng.random((2, 5)),
                     step_size=rng.random((2, 5)), swap_acceptance=rng.random((2, 4)),
                     round_trips=np.array([3, 4]), barrier=rng.random(2), move="hmc",
                     rhat_max=1.01),
    "noise": NoiseLevels(
        datasets=("chi", "M_1p4K"), units=("emu/mol", "mu_B"),
        sigma_hat=np.array([1e-4, 0.02]), sigma_hat_err=np.array([1e-6, 1e-3]),
        sigma_ref=np.array([5e-5, 0.01]), sigma_map=np.array([1.1e-4, 0.021]),
        calibrated=np.array([False, True]), sigma=np.array([[1, 2, np.nan], [3, 4, 5.0]]),
        free_energy=rng.normal(size=(2, 3)), free_energy_err=rng.random((2, 3)),
        ray=NoiseRay(np.array([1.0, 2.0]), np.array([5.0, 4.0]), np.array([5e-5, 0.01]))),
    "map": MapEstimate(mode={"a": np.array(1.5), "J": np.array([1.0, 2.0])},
                       z_names=("a", "J[0]", "J[1]"), z_mode=rng.normal(size=3),
                       z_cov=np.eye(3), log_density=-3.5, restart_log_density=rng.normal(size=4)),
    "emcee": EnsembleDiagnostics(z_names=("a", "b"), autocorr_time=rng.random((2, 2)),
                                 autocorr_reliable=np.array([[True, False], [True, True]]),
                                 acceptance_fraction=rng.random(2), walkers=32),
    "predictions": Predictions({
        "gap": PredictedQuantity(rng.normal(size=7), units="meV", description="spin gap"),
        "C": PredictedQuantity(rng.normal(size=(7, 4)), units="J/mol/K",
                               grid=np.linspace(1, 4, 4), grid_name="T_K", grid_units="K"),
    }),
}


def _equal(a, b):
    if dataclasses.is_dataclass(a):
        assert type(a) is type(b)
        for f in dataclasses.fields(a):
            _equal(getattr(a, f.name), getattr(b, f.name))
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            _equal(a[k], b[k])
    elif isinstance(a, np.ndarray | float | int) and not isinstance(a, bool):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    else:
        assert a == b, (a, b)


def test_every_registered_group_has_a_sample():
    assert set(group_schemas()) == set(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_round_trip_through_netcdf(name, tmp_path):
    obj = SAMPLES[name]
    assert obj.name == name
    tree = xr.DataTree.from_dict({name: obj.to_dataset()})
    tree.to_netcdf(tmp_path / "t.nc", engine="h5netcdf")
    with xr.open_datatree(tmp_path / "t.nc", engine="h5netcdf") as back:
        _equal(obj, read_group(back.load(), name))


def test_names_are_coordinates_not_strings_in_attributes():
    ds = SAMPLES["noise"].to_dataset()
    assert list(ds["dataset"].values) == ["chi", "M_1p4K"]
    assert list(ds["units"].values) == ["emu/mol", "mu_B"]
    assert not any(isinstance(v, str) and "," in v for v in ds.attrs.values())
    assert list(SAMPLES["map"].to_dataset()["z"].values) == ["a", "J[0]", "J[1]"]
    table = SAMPLES["noise"].table()
    assert table.loc["M_1p4K", "units"] == "mu_B"
    assert table.loc["chi", "sigma_hat"] == 1e-4


def test_curve_drops_padding_and_sorts():
    sig, F, err = SAMPLES["noise"].curve("chi")
    np.testing.assert_array_equal(sig, [1.0, 2.0])
    assert F.shape == err.shape == (2,)
