"""The bad-input corpus: every broken input is refused with a precise message, and nothing is written.

Each case under `tests/bad_inputs/<loader>/<case>/` holds the input and an `expected.yaml`
declaring the loader, the input path (relative to the case) and the expected problems: file
(path suffix), line (or null when the format has none), field, and a fragment of the message.
Every case runs against the pilot graph on LadybugDB; the canonical dump (every node, property
and relationship) must be byte-for-byte the same afterwards. API cases are in
`test_bad_requests.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graph_api.ingest import load, load_sample
from graph_api.rows import LoadError
from graph_api.store import Store
from graph_api.store.canonical import canonical_dump
from graph_api.store.ladybug_store import LadybugStore

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.parent for p in CORPUS.glob("*/*/expected.yaml"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = LadybugStore(tmp_path_factory.mktemp("bad-inputs") / "g.lbdb")
    store.ensure_schema()
    load_sample(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def pilot_dump(store: Store) -> str:
    return canonical_dump(store)



def test_the_corpus_is_large_and_covers_every_loader() -> None:
    loaders = {yaml.safe_load((case / "expected.yaml").read_text())["loader"] for case in CASES}
    assert len(CASES) >= 40
    assert {"gv100ad", "curated", "oparl", "rdf"} <= loaders


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_bad_input_is_refused_precisely_and_writes_nothing(case: Path, store: Store, pilot_dump: str) -> None:
    spec = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))
    with pytest.raises(LoadError) as caught:
        load(store, spec["loader"], [case / spec["input"]])
    problems = caught.value.problems
    for want in spec["errors"]:
        want_file = str(case / want["file"])
        hits = [p for p in problems if p.file == want_file and (want["line"] is None or p.line == want["line"])
                and p.field == want["field"] and want["message"] in p.message]
        assert hits, f"expected {want} among:\n" + "\n".join(str(p) for p in problems)
    assert canonical_dump(store) == pilot_dump


def test_a_multi_megabyte_field_is_refused_with_its_length(tmp_path: Path, store: Store, pilot_dump: str) -> None:
    """Generated here rather than stored: 5 MB in one `definition`, against the per-field limit."""
    from graph_api.loaders.curated_schema import MAX_TEXT_LENGTH

    file = tmp_path / "concepts.yaml"
    file.write_text(f"- id: topic-a\n  label: A\n  scheme: topics\n  definition: {'x' * 5_000_000}\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(store, "curated", [file])
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (4, "definition")
    assert f"is 5,000,000 characters long; at most {MAX_TEXT_LENGTH:,} are allowed" in problem.message
    assert canonical_dump(store) == pilot_dump
