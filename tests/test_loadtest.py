"""A 3-second version of `bench/loadtest.py`: concurrent clients against a real server, no errors."""

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
    assert _loadtest().main(["--clients", "4", "--duration", "3", "--max-requests", "400", "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["errors"] == 0 and 0 < result["requests"] <= 400
    assert set(result["per_operation_ms"]) >= {"CountyToHagenow", "RecommendForRatzeburg", "Search"}


def test_load_test_refuses_non_loopback_targets() -> None:
    with pytest.raises(SystemExit):
        _loadtest().main(["--base", "http://example.org:8000", "--duration", "1"])
