"""What a caller may see of a person: the one personal-data rule, asked by every door.

Actors are people. Before this module the rule existed in about six copies that disagreed (an
actor without `visibility` was public to the search index but restricted to the export; a public
actor's e-mail went to anonymous callers; Cypher texts compared with `= 'restricted'` or with
`= 'public'`). Now GraphQL types, the search index, named-query rows, the RDF export and `/id`
(and the Explorer, which reads GraphQL) all call the functions below, and read-time checks make
every door safe even for values stored before input was normalised.

The rule:
- An actor is public only when its stored `visibility` is exactly ``"public"``; anything else
  (missing, empty, ``"Restricted"``, ``"PUBLIC"``) counts as restricted — fail closed.
- Callers without the API token see of a restricted actor only its id and role label: the name
  shows as the role label, and its description, its WORKS_FOR titles and its PARTICIPATES_IN
  roles are withheld. Of a public actor they see everything except contact data.
- E-mail and phone go to token holders only, whatever the visibility.
- The context of a KNOWS relationship describes two people and goes to token holders only.
- A contact channel (`ContactPoint`) is functional, never a person's own, and shows its address only when
  its stored `visibility` is exactly ``"public"`` (fail closed as for actors); otherwise anonymous callers
  see only that a channel of that kind exists. A channel never reveals the name of a restricted actor:
  the API answers "whom to call" with the organisation or role label and the channel.
- Token holders see everything.
The search index and the RDF export are shared by all callers, so they hold the anonymous view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph_api.model import label_of

PUBLIC = "public"
RESTRICTED = "restricted"
UNNAMED = "(restricted)"  # what a restricted actor without a role label shows instead of a name

CONTACT_PROPERTIES = frozenset({"email", "phone"})
# What anyone may see of a restricted actor (plus the labels the stores add to node values).
SHOWN_WHEN_RESTRICTED = frozenset({"id", "role_label", "visibility", "_label"})
# What anyone may see of a restricted contact channel.
CHANNEL_SHOWN_WHEN_RESTRICTED = frozenset({"id", "kind", "visibility", "_label"})
# Relationship properties that describe the person at the Actor end: withheld when that actor is restricted.
ROLE_PROPERTIES: dict[str, frozenset[str]] = {"WORKS_FOR": frozenset({"title"}),
                                              "PARTICIPATES_IN": frozenset({"role"})}
# Relationship properties about two people at once: token holders only.
TOKEN_ONLY_REL_PROPERTIES: dict[str, frozenset[str]] = {"KNOWS": frozenset({"context"})}


@dataclass(frozen=True)
class Viewer:
    """Who is asking; today one shared token decides (see SECURITY.md)."""

    authorised: bool


ANONYMOUS = Viewer(authorised=False)
TOKEN_HOLDER = Viewer(authorised=True)


def is_public(props: Mapping[str, Any]) -> bool:
    """True only for exactly ``visibility: "public"``: a missing or misspelt value is restricted."""
    return props.get("visibility") == PUBLIC


def visibility(props: Mapping[str, Any]) -> str:
    """The normalised visibility (``public`` or ``restricted``) of an actor's stored properties."""
    return PUBLIC if is_public(props) else RESTRICTED


def shows_person(props: Mapping[str, Any], viewer: Viewer) -> bool:
    """Whether `viewer` may see who this actor is (name, description, titles)."""
    return viewer.authorised or is_public(props)


def display_name(props: Mapping[str, Any], viewer: Viewer) -> str:
    """The name `viewer` sees: the name when allowed and present, else the role label."""
    if shows_person(props, viewer) and props.get("name"):
        return str(props["name"])
    return str(props.get("role_label") or UNNAMED)


def actor_view(props: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    """The actor's properties `viewer` may see, with `visibility` normalised."""
    if viewer.authorised:
        shown = dict(props)
    elif is_public(props):
        shown = {k: v for k, v in props.items() if k not in CONTACT_PROPERTIES}
    else:
        shown = {k: v for k, v in props.items() if k in SHOWN_WHEN_RESTRICTED}
    shown["visibility"] = visibility(props)
    return shown


def contact_point_view(props: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    """The contact channel's properties `viewer` may see, with `visibility` normalised."""
    if viewer.authorised or is_public(props):
        shown = dict(props)
    else:
        shown = {k: v for k, v in props.items() if k in CHANNEL_SHOWN_WHEN_RESTRICTED}
    shown["visibility"] = visibility(props)
    return shown


def shows_channel(props: Mapping[str, Any], viewer: Viewer) -> bool:
    """Whether `viewer` may see a contact channel's address (lists leave the others out)."""
    return viewer.authorised or is_public(props)


def node_view(label: str | None, props: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    """Any node's properties as `viewer` may see them: the one entry point for doors that show nodes of
    every label (search index, named-query rows, exports)."""
    if label == "Actor":
        return actor_view(props, viewer)
    if label == "ContactPoint":
        return contact_point_view(props, viewer)
    return dict(props)


def rel_view(rel_type: str, props: Mapping[str, Any], actor_ends: Iterable[Mapping[str, Any] | None],
             viewer: Viewer) -> dict[str, Any]:
    """A relationship's properties `viewer` may see.

    `actor_ends` are the property dicts of the relationship's Actor ends (None where unknown,
    which counts as restricted); ends that are not actors are left out."""
    if viewer.authorised:
        return dict(props)
    hidden = set(TOKEN_ONLY_REL_PROPERTIES.get(rel_type, ()))
    if rel_type in ROLE_PROPERTIES and not all(end is not None and is_public(end) for end in actor_ends):
        hidden |= ROLE_PROPERTIES[rel_type]
    return {k: v for k, v in props.items() if k not in hidden}


def searchable(label: str, props: Mapping[str, Any]) -> dict[str, Any]:
    """What the shared full-text index may hold of a node: the anonymous view (it answers everyone)."""
    return node_view(label, props, ANONYMOUS)


def named_row(row: Mapping[str, Any], names: Sequence[tuple[str, str]], actors: Mapping[str, Mapping[str, Any]],
              viewer: Viewer) -> dict[str, Any]:
    """A named query's row as `viewer` may see it.

    `names` pairs a name column with the id column of the node it names; where that node is an
    actor, the name becomes `display_name` of the actor's stored properties (`actors`, by id; an
    actor not found there shows no name at all). Node values in the row get `actor_view`."""
    out = {column: _node_values(value, viewer) for column, value in row.items()}
    for name_column, id_column in names:
        node_id = row.get(id_column)
        if isinstance(node_id, str) and label_of(node_id) == "Actor":
            out[name_column] = display_name(actors.get(node_id, {}), viewer)
    return out


def _node_values(value: Any, viewer: Viewer) -> Any:
    """Actor nodes and relationships anywhere in a result value (lists, maps, paths) reduced to what
    `viewer` may see; a relationship's ends are unknown here, so they count as restricted."""
    if isinstance(value, dict):
        if value.get("_label") in ("Actor", "ContactPoint"):
            return node_view(value["_label"], value, viewer)
        if "_type" in value:
            return rel_view(str(value["_type"]), value, [None], viewer)
        return {k: _node_values(v, viewer) for k, v in value.items()}
    if isinstance(value, list):
        return [_node_values(v, viewer) for v in value]
    return value
