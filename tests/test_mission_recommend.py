"""Recommendations rank every candidate from adopter counts and name the evidence of the first few:
the short list must be exactly the head of the full list, on the pilot data and a generated county."""

from __future__ import annotations

import pytest

from graph_api.mission import answers
from graph_api.store import Store
from tests.test_mission_oracle import generated_store  # noqa: F401 - the shared generated county


@pytest.mark.parametrize("which", ["pilot_store", "generated_store"])
def test_the_first_recommendations_are_the_head_of_all(request: pytest.FixtureRequest, which: str) -> None:
    store: Store = request.getfixturevalue(which)

    def read(text: str, params: dict) -> list[dict]:
        return store.read(text, dict(params))

    towns = [r["id"] for r in store.read("MATCH (m:Municipality) WHERE m.population > 0 RETURN m.id AS id "
                                         "ORDER BY m.population DESC, m.id LIMIT 12")]
    for town in towns:
        everything = answers.recommendations(read, town, None, 10_000)
        assert everything
        for first in (1, 3, 5):
            head = answers.recommendations(read, town, None, first)
            assert [(s.solution["id"], s.score, s.reasons) for s in head] == [
                (s.solution["id"], s.score, s.reasons) for s in everything[:first]]
        assert [s.score for s in everything] == sorted((s.score for s in everything), reverse=True)
