"""The built wheel, not the source checkout: what `pip install .` (and the Dockerfile) really gets.

The wheel is built once and unpacked into a folder that is put on `sys.path` of a child Python
started with `-S`: no `.pth` file runs, so the editable install's finder cannot quietly supply a
module the wheel lacks, and the child's working directory holds no source. (`.ci/run` also
installs the wheel into a fresh venv and drives the `copgraph` command itself.)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from graph_api.config import PROJECT_ROOT

# folder in the repository -> where the wheel must carry it (see setup.py)
RUNTIME_FOLDERS = {
    "loaders": "graph_api/loaders",
    "queries": "graph_api/queries",
    "ontology": "graph_api/ontology",
    "data/sample": "graph_api/sample_data",
    "graph_api/static": "graph_api/static",
}

def _extras_only() -> tuple[str, ...]:
    """Import names of the optional extras (dev, bench) that are not runtime dependencies, plus bench and tests."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def name(requirement: str) -> str:
        return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("-", "_")

    runtime = {name(r) for r in project["dependencies"]}
    # setuptools ships with every venv and is nobody's business here
    extras = {name(r) for group in project["optional-dependencies"].values() for r in group} - runtime - {"setuptools"}
    imports = {module for module, distributions in packages_distributions().items()  # e.g. SPARQLWrapper
               if {d.lower().replace("-", "_") for d in distributions} & extras}
    return tuple(sorted(imports)) + ("bench", "tests")


DEV_ONLY_MODULES = _extras_only()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy: setuptools leaves a build/ folder behind and reuses it, stale files included
    source = tmp_path_factory.mktemp("source") / "copgraph"
    shutil.copytree(PROJECT_ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "node_modules", "__pycache__", "*.lbdb*", ".*_cache"))
    # --no-build-isolation: the dev extra pins a setuptools that can build it, so no download is needed
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(out), str(source)], check=True, capture_output=True)
    (built,) = out.glob("copgraph-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def run_installed(site: Path, tmp_path: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -S -m graph_api.cli ARGS` (or `-c CODE`) against the unpacked wheel, outside the source."""
    dependencies = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), dependencies]), "COPGRAPH_DB": str(tmp_path / "db")}
    env.pop("COPGRAPH_SAMPLE_DIR", None)
    command = [sys.executable, "-S", "-c", code] if code else [sys.executable, "-S", "-m", "graph_api.cli", *args]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {name for name in archive.namelist() if "__pycache__" not in name}


def test_wheel_installs_no_generic_top_level_name(wheel: Path) -> None:
    top_level = {name.split("/")[0] for name in wheel_names(wheel) if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == {"graph_api"}


@pytest.mark.parametrize("folder", sorted(RUNTIME_FOLDERS))
def test_wheel_ships_every_runtime_file(wheel: Path, folder: str) -> None:
    names = wheel_names(wheel)
    source = PROJECT_ROOT / folder
    expected = {f"{RUNTIME_FOLDERS[folder]}/{path.relative_to(source).as_posix()}" for path in source.rglob("*")
                if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"}
    assert expected, f"{folder} is empty"
    assert sorted(expected - names) == []


def test_wheel_ships_no_benchmark_code(wheel: Path) -> None:
    assert [n for n in wheel_names(wheel) if "synthetic" in n or n.endswith("rdf/bench.py")] == []


def test_installed_runtime_never_points_at_the_source_tree(installed: Path) -> None:
    offenders = [path.relative_to(installed).as_posix() for path in installed.rglob("*.py")
                 if '"shared"' in path.read_text(encoding="utf-8") or "../shared" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_installed_query_list_names_every_named_query(installed: Path, tmp_path: Path) -> None:
    done = run_installed(installed, tmp_path, "query", "--list")
    assert done.returncode == 0, done.stderr
    names = {path.name.split(".")[0] for path in (PROJECT_ROOT / "queries").glob("*.cypher")}
    listed = {line.split()[0] for line in done.stdout.splitlines() if line and not line.startswith(" ")}
    assert listed == names


def test_installed_demo_sample_loads_and_answers_a_named_query(installed: Path, tmp_path: Path) -> None:
    code = ("from graph_api.config import Settings\nfrom graph_api.ingest import load_sample\n"
            "from graph_api.store import open_store\nimport os\n"
            "store = open_store(Settings(db_path=os.environ['COPGRAPH_DB']))\nload_sample(store)\nstore.close()\n")
    loaded = run_installed(installed, tmp_path, code=code)
    assert loaded.returncode == 0, loaded.stderr
    done = run_installed(installed, tmp_path, "query", "adopters_of_solution", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "adopter_id" in done.stdout


def test_installed_runtime_imports_no_dev_extra(installed: Path, tmp_path: Path) -> None:
    blocked = ", ".join(repr(m) for m in DEV_ONLY_MODULES)
    code = f"""
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ({blocked}):
            raise ImportError("dev-only module imported at run time: " + name)
sys.meta_path.insert(0, Block())
import graph_api
for module in pkgutil.walk_packages(graph_api.__path__, "graph_api."):
    importlib.import_module(module.name)
from graph_api.app import create_app
from graph_api.config import Settings
create_app(Settings(db_path="db"))
"""
    done = run_installed(installed, tmp_path, code=code)
    assert done.returncode == 0, done.stderr
