"""`docker compose up` starts Neo4j, loads the data, then starts the API: checked by reading the files.

No container engine runs here, so what would make the stack hang or start empty is checked
statically: a healthcheck may only use variables its own container has; the one-shot `load`
service must load the full GV100AD, the curated sample and OParl before the API starts; every
path the commands use must exist in the image (from the Dockerfile's COPY lines) or in a volume.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import pytest
import yaml

from graph_api.config import ENVIRONMENT_VARIABLES, PROJECT_ROOT, Settings
from graph_api.loaders import LOADERS

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
STAGES = re.split(r"^FROM ", DOCKERFILE, flags=re.MULTILINE)[1:]  # build stage first, the image last
# variables the official images set themselves (docker inspect neo4j:5 / python:3.11-slim)
IMAGE_ENVIRONMENT = {
    "neo4j": {"PATH", "HOME", "JAVA_HOME", "NEO4J_HOME", "NEO4J_SHA256", "NEO4J_TARBALL", "NEO4J_EDITION", "LANG",
              "LANGUAGE", "LC_ALL", "TINI_VERSION", "TINI_SHA256"},
    "python": {"PATH", "HOME", "LANG", "GPG_KEY", "PYTHON_VERSION", "PYTHON_SHA256"},
}
VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))")


def container_command(value: str | list[str]) -> str:
    """What the container's shell receives: compose fills in `${X}`/`$X` from the host and turns `$$` into `$`."""
    text = value if isinstance(value, str) else " ".join(value)
    return re.sub(r"\$\$|\$\{[^}]*\}|\$[A-Za-z_]\w*", lambda m: "$" if m.group(0) == "$$" else "<host value>", text)


def environment_of(name: str) -> set[str]:
    service = SERVICES[name]
    env = service.get("environment", {})
    names = set(env) if isinstance(env, dict) else {item.split("=", 1)[0] for item in env}
    image = "neo4j" if service.get("image", "").startswith("neo4j") else "python"
    return names | IMAGE_ENVIRONMENT[image]


def copied_into_image() -> dict[str, str]:
    """Destination -> source of the final stage's COPY lines (`--from=build` ones map to the build stage)."""
    copies = {}
    for line in STAGES[-1].splitlines():
        parts = shlex.split(line) if line.startswith("COPY ") else []
        if parts and not any(p.startswith("--from") for p in parts):
            copies[parts[-1].rstrip("/")] = parts[-2]
    return copies


@pytest.mark.parametrize("name", [n for n, s in SERVICES.items() if "healthcheck" in s])
def test_healthcheck_uses_only_variables_its_container_has(name: str) -> None:
    command = container_command(SERVICES[name]["healthcheck"]["test"])
    used = {a or b for a, b in VARIABLE.findall(command)}
    assert used - environment_of(name) == set(), f"{name}'s healthcheck reads variables its container lacks"


def test_neo4j_healthcheck_runs_a_query_with_the_configured_password() -> None:
    neo4j = SERVICES["neo4j"]
    command = container_command(neo4j["healthcheck"]["test"])
    assert "cypher-shell" in command and "RETURN 1" in command
    assert "NEO4J_AUTH" in command and neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/")
    assert neo4j["image"].split(":")[1].startswith("5")
    assert any(v.endswith(":/data") for v in neo4j["volumes"]) and "neo4j-data" in COMPOSE["volumes"]


def test_load_runs_once_after_neo4j_is_healthy_and_the_api_waits_for_it() -> None:
    load, api = SERVICES["load"], SERVICES["api"]
    assert load["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["depends_on"]["load"]["condition"] == "service_completed_successfully"
    assert load.get("restart", "no") == "no", "a one-shot service must not be restarted"
    assert load["build"] == api["build"]
    shared = {k: v for k, v in api["environment"].items() if k.startswith(("COPGRAPH_STORE", "NEO4J_"))}
    assert {k: load["environment"].get(k) for k in shared} == shared


def load_steps() -> list[list[str]]:
    """The `copgraph ...` commands of the load service's `sh -c` script, in order."""
    command = SERVICES["load"]["command"]
    words = shlex.split(command) if isinstance(command, str) else command
    assert words[:2] == ["sh", "-c"] and len(words) == 3, "one shell script, so a failing step stops the load"
    return [shlex.split(step) for step in re.split(r"\s*&&\s*", container_command(words[2]))]


def test_load_loads_the_full_gv100ad_the_curated_sample_and_oparl_in_that_order() -> None:
    steps = load_steps()
    assert [s[1] for s in steps] == ["load"] * 3
    assert [s[2] for s in steps] == ["gv100ad", "curated", "oparl"]
    assert all(s[2] in LOADERS for s in steps)
    gv100ad = PurePosixPath(steps[0][3])
    assert gv100ad.name == "GV100AD_301121.ASC", "the full edition, not the two-county extract"
    volumes = [re.sub(r"\$\{[^}]*\}", "HOST", v).split(":") for v in SERVICES["load"]["volumes"]]
    mounts = {PurePosixPath(v[1]): v[2:] for v in volumes}
    assert mounts.get(gv100ad.parent) == ["ro"], "the GV100AD directory is mounted read-only where the load reads it"


def test_sample_paths_of_the_load_exist_in_the_image() -> None:
    copies = copied_into_image()
    for step in load_steps()[1:]:
        path = PurePosixPath(step[3])
        destination = next((d for d in copies if path == PurePosixPath(d) or PurePosixPath(d) in path.parents), None)
        assert destination, f"{path} is not copied into the image"
        source = PROJECT_ROOT / copies[destination] / path.relative_to(destination)
        assert source.is_dir() and any(source.iterdir()), source


def test_image_is_built_from_the_wheel_with_every_file_the_build_needs() -> None:
    build = STAGES[0]
    copied = {shlex.split(line)[i] for line in build.splitlines() if line.startswith("COPY ")
              for i in range(1, len(shlex.split(line)) - 1)}
    needed = {"pyproject.toml", "setup.py", "README.md", "graph_api", "loaders", "queries", "ontology", "data/sample"}
    assert needed <= copied, needed - copied
    assert "pip wheel" in build and "pip install --no-cache-dir /wheels/" in DOCKERFILE
    assert "COPGRAPH_SAMPLE_DIR" not in DOCKERFILE, "the sample is package data; no path to point at"
    assert re.search(r"^USER (?!root)", DOCKERFILE, re.MULTILINE), "the service does not run as root"


def test_api_environment_is_what_the_code_reads() -> None:
    api = SERVICES["api"]
    env = api["environment"]
    assert set(env) <= set(ENVIRONMENT_VARIABLES), set(env) - set(ENVIRONMENT_VARIABLES)
    assert env["COPGRAPH_STORE"] == "neo4j" and env["NEO4J_URI"].startswith("bolt://neo4j:")
    assert (PROJECT_ROOT / api["build"] / "Dockerfile").exists()


def test_settings_read_every_documented_variable(monkeypatch) -> None:
    values = {"COPGRAPH_STORE": "neo4j", "COPGRAPH_DB": "x.lbdb", "NEO4J_URI": "bolt://h:7687", "NEO4J_USER": "u",
              "NEO4J_PASSWORD": "p", "COPGRAPH_API_TOKEN": "t", "COPGRAPH_BASE_IRI": "https://b.example/x",
              "COPGRAPH_CORS_ORIGINS": "https://a.example, https://b.example"}
    assert set(values) <= set(ENVIRONMENT_VARIABLES)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    s = Settings()
    assert (s.store, s.db_path, s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.tokens()) == (
        "neo4j", "x.lbdb", "bolt://h:7687", "u", "p", {"api-token": "t"})
    assert s.base_iri == "https://b.example/x/" and s.cors_origins == ("https://a.example", "https://b.example")


def test_the_build_stage_builds_a_complete_wheel_from_exactly_what_it_copies(tmp_path: Path) -> None:
    """Replays the build stage's COPY lines into an empty folder and builds the wheel there."""
    context = tmp_path / "src"
    context.mkdir()
    for line in STAGES[0].splitlines():
        if line.startswith("COPY "):
            *sources, destination = shlex.split(line)[1:]
            for source in sources:
                target = context / (Path(destination) / Path(source).name if destination.endswith("/")
                                    else destination)
                target.parent.mkdir(parents=True, exist_ok=True)
                copy = shutil.copytree if (PROJECT_ROOT / source).is_dir() else shutil.copy
                copy(PROJECT_ROOT / source, target)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path / "dist"), str(context)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("copgraph-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {f"graph_api/queries/{p.name}" for p in (PROJECT_ROOT / "queries").glob("*.cypher")} <= names
    assert "graph_api/loaders/gv100ad.py" in names and "graph_api/sample_data/gv100ad_pilot.ASC" in names


def test_every_variable_compose_reads_from_the_host_is_documented() -> None:
    """`docker compose up` reads these from the operator's shell; the README must name each one."""
    text = (PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8").replace("$$", "")
    host = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text))
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert host >= {"NEO4J_PASSWORD", "COPGRAPH_API_TOKEN", "COPGRAPH_GV100AD_DIR"}
    assert sorted(v for v in host if v not in readme) == []


def test_build_context_leaves_out_environments_and_databases() -> None:
    ignored = set((PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", "**/node_modules", "*.lbdb"} <= ignored
    assert not ignored & {"graph_api", "loaders", "queries", "ontology", "data", "setup.py", "pyproject.toml"}
