"""The `copgraph` command follows the usual command-line conventions: --version, options after the
sub-command, help text for every option, and start-up output that names every address."""

from __future__ import annotations

import argparse
from importlib.metadata import version
from pathlib import Path

import pytest

from graph_api.cli import build_parser, main
from graph_api.config import SAMPLE_DIR
from graph_api.loaders import EXPECTED_INPUT, LOADERS

PILOT_GV100AD = str(SAMPLE_DIR / "gv100ad_pilot.ASC")


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_version_prints_the_installed_distribution_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"copgraph {version('copgraph')}"


def test_store_options_work_after_the_sub_command(tmp_path: Path) -> None:
    db = tmp_path / "after.lbdb"
    assert main(["load", "gv100ad", PILOT_GV100AD, "--db", str(db)]) == 0
    assert db.exists()


def test_store_options_still_work_before_the_sub_command(tmp_path: Path) -> None:
    db = tmp_path / "before.lbdb"
    assert main(["--db", str(db), "load", "gv100ad", PILOT_GV100AD]) == 0
    assert db.exists()


def test_an_option_after_the_sub_command_wins_over_one_before(tmp_path: Path) -> None:
    args = build_parser().parse_args(["--db", str(tmp_path / "a"), "export", "--db", str(tmp_path / "b")])
    assert args.db == str(tmp_path / "b")
    args = build_parser().parse_args(["--db", str(tmp_path / "a"), "export"])
    assert args.db == str(tmp_path / "a")


def test_every_option_and_argument_has_help_text() -> None:
    parser = build_parser()
    missing = [f"copgraph {name} {action.dest}"
               for name, sub in {"": parser, **subparsers(parser)}.items()
               for action in sub._actions
               if not isinstance(action, argparse._SubParsersAction | argparse._HelpAction) and not action.help]
    assert missing == []


def test_every_loader_declares_its_expected_input() -> None:
    assert set(EXPECTED_INPUT) == set(LOADERS)
    assert all(len(text.split()) >= 4 for text in EXPECTED_INPUT.values())


def test_load_help_names_the_expected_input_of_every_source() -> None:
    text = " ".join(subparsers(build_parser())["load"].format_help().split())
    for name, expected in EXPECTED_INPUT.items():
        assert f"{name}: {' '.join(expected.split())}" in text


def test_serve_start_up_line_names_explorer_and_graphiql(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options))
    assert main(["serve", "--port", "8123", "--db", str(tmp_path / "serve.lbdb")]) == 0
    assert started["port"] == 8123
    err = capsys.readouterr().err
    assert "Explorer at http://127.0.0.1:8123/ " in err + " "
    assert "GraphiQL at http://127.0.0.1:8123/graphql" in err


def test_serve_on_all_interfaces_prints_a_browsable_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    assert main(["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "serve.lbdb")]) == 0
    err = capsys.readouterr().err
    assert "http://localhost:8000/graphql" in err and "0.0.0.0" in err


def test_query_list_of_an_install_without_queries_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """It used to print nothing and exit 0 (a wheel without package data)."""
    from graph_api import query_library

    monkeypatch.setattr(query_library.load_library, "__defaults__", (tmp_path,))  # the folder it reads by default
    assert main(["query", "--list"]) == 3
    assert f"no named queries in {tmp_path}" in capsys.readouterr().err
