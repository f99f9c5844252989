"""The personal-data rule on its own (`graph_api.policy`); tests/attacks/test_privacy_doors.py asks every door."""

from __future__ import annotations

import pytest

from graph_api import policy
from graph_api.policy import ANONYMOUS, TOKEN_HOLDER

PERSON = {"id": "Actor:a", "name": "Erika M.", "role_label": "Bürgermeister:in X", "description": "wohnt in X",
          "email": "e@example.invalid", "phone": "0123"}


@pytest.mark.parametrize("stored", [None, "", "restricted", "Restricted", "PUBLIC", " public", "public "])
def test_only_exactly_public_is_public(stored: str | None) -> None:
    props = {**PERSON, "visibility": stored}
    assert not policy.is_public(props) and policy.visibility(props) == "restricted"
    assert policy.actor_view(props, ANONYMOUS) == {"id": "Actor:a", "role_label": "Bürgermeister:in X",
                                                   "visibility": "restricted"}
    assert policy.display_name(props, ANONYMOUS) == "Bürgermeister:in X"
    assert policy.display_name(props, TOKEN_HOLDER) == "Erika M."


def test_public_actors_show_everything_but_contact_data_to_anonymous_callers() -> None:
    props = {**PERSON, "visibility": "public"}
    shown = policy.actor_view(props, ANONYMOUS)
    assert shown["name"] == "Erika M." and shown["description"] == "wohnt in X"
    assert "email" not in shown and "phone" not in shown
    assert policy.actor_view(props, TOKEN_HOLDER)["email"] == "e@example.invalid"


def test_an_actor_without_name_or_role_label_shows_a_placeholder() -> None:
    assert policy.display_name({"visibility": "public", "role_label": "Rolle"}, ANONYMOUS) == "Rolle"
    assert policy.display_name({"name": "Erika M."}, ANONYMOUS) == policy.UNNAMED


def test_titles_follow_the_actor_and_knows_context_needs_the_token() -> None:
    public, restricted = {"visibility": "public"}, {"visibility": "restricted"}
    title = {"title": "Leitung", "since": "2020-01-01"}
    assert policy.rel_view("WORKS_FOR", title, [public], ANONYMOUS) == title
    assert policy.rel_view("WORKS_FOR", title, [restricted], ANONYMOUS) == {"since": "2020-01-01"}
    assert policy.rel_view("WORKS_FOR", title, [None], ANONYMOUS) == {"since": "2020-01-01"}  # unknown end
    assert policy.rel_view("WORKS_FOR", title, [restricted], TOKEN_HOLDER) == title
    knows = {"context": "Studium", "since": "2019"}
    assert policy.rel_view("KNOWS", knows, [public, public], ANONYMOUS) == {"since": "2019"}
    assert policy.rel_view("KNOWS", knows, [public, public], TOKEN_HOLDER) == knows


def test_named_rows_rename_declared_actor_columns_and_reduce_node_values() -> None:
    actors = {"Actor:a": {**PERSON, "visibility": None}}
    row = {"who_id": "Actor:a", "who": "Erika M.", "org_id": "Organization:o", "org": "Amt X",
           "node": {**PERSON, "_label": "Actor"}, "rel": {"_type": "KNOWS", "context": "Studium"}}
    names = [("who", "who_id"), ("org", "org_id")]
    shown = policy.named_row(row, names, actors, ANONYMOUS)
    assert shown["who"] == "Bürgermeister:in X" and shown["org"] == "Amt X"
    assert shown["node"] == {"id": "Actor:a", "role_label": "Bürgermeister:in X", "visibility": "restricted",
                             "_label": "Actor"}
    assert shown["rel"] == {"_type": "KNOWS"}
    assert policy.named_row(row, names, {}, ANONYMOUS)["who"] == policy.UNNAMED  # actor gone: no name at all
    assert policy.named_row(row, names, actors, TOKEN_HOLDER)["who"] == "Erika M."


def test_the_search_index_gets_the_anonymous_view() -> None:
    assert "name" not in policy.searchable("Actor", {**PERSON, "visibility": "Restricted"})
    assert policy.searchable("Organization", {"name": "Amt X"}) == {"name": "Amt X"}
