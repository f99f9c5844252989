"""The `copgraph` command line: load, validate, exit codes and messages."""

from __future__ import annotations

from pathlib import Path

from graph_api.cli import main
from graph_api.config import SAMPLE_DIR


def test_load_twice_then_validate(tmp_path: Path, capsys) -> None:
    db = str(tmp_path / "cli.lbdb")
    assert main(["--db", db, "load", "gv100ad", str(SAMPLE_DIR / "gv100ad_pilot.ASC")]) == 0
    assert main(["--db", db, "load", "curated", str(SAMPLE_DIR / "curated")]) == 0
    capsys.readouterr()
    assert main(["--db", db, "load", "curated", str(SAMPLE_DIR / "curated")]) == 0
    summary = capsys.readouterr().err
    assert "created" in summary and all(line.split()[1] == "0" for line in summary.splitlines()[1:]
                                        if line and line.split()[0] in ("Solution", "Adoption", "KNOWS"))
    assert main(["--db", db, "validate", str(SAMPLE_DIR / "curated")]) == 0
    assert ": valid (" in capsys.readouterr().out


def test_bad_input_exits_2_with_file_line_field(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "curated"
    folder.mkdir()
    (folder / "solutions.yaml").write_text("- id: x\n  name: X\n  maturity: ancient\n", encoding="utf-8")
    assert main(["--db", str(tmp_path / "none.lbdb"), "validate", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"{folder / 'solutions.yaml'}:3: maturity: 'ancient' is not allowed" in err
    assert "nothing was written" in err
    assert not (tmp_path / "none.lbdb").exists()  # validate never creates a database
