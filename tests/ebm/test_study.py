"""The study CLI end to end on a tiny configuration."""


from bayesfit.ebm import study


def test_study_cli_tiny(tmp_path, capsys):
    out = tmp_path / "st"
    table = tmp_path / "table.md"
    rc = study.main(["--quick", "--ns", "6", "--targets", "SK", "--seeds", "2", "--steps", "20",
                     "--no-compare", "--out", str(out), "--table", str(table)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "KL(q‖p)" in printed and "RD-B" in printed and "Wall time" in printed
    assert table.read_text().strip() == printed.strip()
    assert "all modes" in printed
    import pandas as pd

    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 1 * 1 * 6 * 2  # targets x n x objectives x seeds
    assert {"kl_pq", "kl_qp", "energy_error", "modes_covered", "relapse"} <= set(runs.columns)
