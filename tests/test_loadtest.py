"""A small version of `bench/loadtest.py`: concurrent clients against a real server, every operation, no errors."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from graph_api.config import PROJECT_ROOT


def _loadtest() -> ModuleType:
    spec = importlib.util.spec_from_file_location("loadtest", PROJECT_ROOT / "bench" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_mini_load_test_has_no_errors(tmp_path: Path) -> None:
    out = tmp_path / "loadtest.json"
    loadtest = _loadtest()
    operations = {loadtest._name(body) for body in loadtest.operations()}
    requests = 2 * len(operations)
    # bounded by the request count, not the clock (the duration is only a safety net), so a slow machine
    # sends every operation as often as a fast one
    assert loadtest.main(["--clients", "4", "--duration", "600", "--max-requests", str(requests),
                          "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["errors"] == 0 and result["requests"] == requests
    assert {name: row["requests"] for name, row in result["per_operation_ms"].items()} == dict.fromkeys(operations, 2)


def test_load_test_refuses_non_loopback_targets() -> None:
    with pytest.raises(SystemExit):
        _loadtest().main(["--base", "http://example.org:8000", "--duration", "1"])
