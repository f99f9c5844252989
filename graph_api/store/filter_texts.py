"""Filter trees (`AND`/`OR`/`NOT`, comparisons, relationship conditions) compiled to parameterised Cypher.

The GraphQL layer turns a filter input into a plain tree of dicts (JSON, so it can be hashed into
a cursor's scope and a DataLoader key); this module is the only place that turns such a tree
into Cypher. What it may write is fixed here: the property expressions and relationship patterns
of `FIELDS` and `RELATIONS`, the operators of `OPERATORS`, variable and parameter names it
generates itself (`w0`, `w1`, ... and `v1`, `v2`, ...). Every value of the tree becomes a
parameter; an unknown field, operator or label is a `ValueError`, never text.

Tree nodes:
    {"all": [tree, ...]}                      every child holds (an empty list holds)
    {"any": [tree, ...]}                      at least one child holds (an empty list does not)
    {"not": tree}                             the child does not hold
    {"field": name, "op": op, "value": v}     a comparison on the node itself
    {"some": relation, "where": tree}         a related node that satisfies `where` exists

Logic is two-valued: a comparison with a missing property is false (not null), so `NOT` is the
complement a reader expects (`NOT population < 5000` includes municipalities without a number).
Text comparisons fold German spellings on both sides (`graph_api.german`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph_api.german import fold, folded_cypher
from graph_api.mission.definitions import ACTIVE

# second line of defence: `graph_api.schema.cost` refuses large filters (FILTER_LIMIT) before they get here;
# these bounds hold for any caller and are looser than the GraphQL ones (one input object makes 1-3 tree levels)
MAX_TREE_NODES = 600   # tree nodes and list items of one filter
MAX_TREE_DEPTH = 20    # nested all/any/not/some levels

OPERATORS: dict[str, str] = {"eq": "=", "in": "IN", "lt": "<", "lte": "<=", "gt": ">", "gte": ">=",
                             "contains": "CONTAINS", "startsWith": "STARTS WITH"}
_TEXT_OPS = frozenset({"eq", "in", "contains", "startsWith"})
_KEY_OPS = frozenset({"eq", "in", "startsWith"})
_ORDERED_OPS = frozenset({"eq", "in", "lt", "lte", "gt", "gte"})
_ACTIVE = "[" + ", ".join(f"'{status}'" for status in ACTIVE) + "]"


@dataclass(frozen=True)
class Field:
    """A comparable expression over the node variable `{v}`, the operators it allows and how values are read.

    `folded` text fields compare the German-folded stored text with the folded value. `pattern`
    fields are conditions with a parameter slot `{p}` and fresh variables `{u}` (territory prefixes,
    related ids) and allow only `eq`/`in`/`startsWith` as their template says (`ops`). `flag` fields
    are conditions without a parameter: `eq true` is the condition, `eq false` its negation."""

    expression: str
    ops: frozenset[str]
    folded: bool = False
    pattern: bool = False
    flag: bool = False


def _prop(name: str, ops: frozenset[str] = _ORDERED_OPS) -> Field:
    return Field(f"{{v}}.{name}", ops)


def _text(name: str) -> Field:
    return Field(f"{{v}}.{name}", _TEXT_OPS, folded=True)


_WITHIN_ADOPTER = ("(EXISTS {{ MATCH ({v})-[:BY]->(t{u}) WHERE t{u}.ars STARTS WITH {p} }} OR "
                   "EXISTS {{ MATCH ({v})-[:BY]->(:Organization)-[:ADMINISTERS|SERVES]->(s{u}) "
                   "WHERE s{u}.ars STARTS WITH {p} }})")

FIELDS: dict[str, dict[str, Field]] = {
    "Municipality": {
        "id": _prop("id", _KEY_OPS), "ags": _prop("ags", _KEY_OPS), "ars": _prop("ars", _KEY_OPS),
        "county_ags": _prop("county_ags", _KEY_OPS), "name": _text("name"), "kind": _text("kind"),
        "population": _prop("population"), "postcode": _prop("postcode", _KEY_OPS),
    },
    "Adoption": {
        "id": _prop("id", _KEY_OPS), "status": _prop("status", frozenset({"eq", "in"})),
        "started_on": _prop("started_on"), "ended_on": _prop("ended_on"),
        "active": Field(f"{{v}}.status IN {_ACTIVE}", frozenset({"eq"}), flag=True),
        "solution": Field("EXISTS {{ MATCH ({v})-[:OF]->(x{u}:Solution) WHERE x{u}.id {op} {p} }}",
                          frozenset({"eq", "in"}), pattern=True),
        "adopter": Field("EXISTS {{ MATCH ({v})-[:BY]->(x{u}) WHERE x{u}.id {op} {p} }}",
                         frozenset({"eq", "in"}), pattern=True),
        "within": Field(_WITHIN_ADOPTER, frozenset({"startsWith"}), pattern=True),
    },
    "Solution": {
        "id": _prop("id", _KEY_OPS), "name": _text("name"), "maturity": _text("maturity"),
        "text": Field("({{v}}.name IS NOT NULL AND {name} CONTAINS {{p}} OR {{v}}.summary IS NOT NULL AND "
                      "{summary} CONTAINS {{p}})".format(name=folded_cypher("{v}.name"),
                                                          summary=folded_cypher("{v}.summary")),
                      frozenset({"contains"}), folded=True, pattern=True),
        "category": Field("EXISTS {{ MATCH ({v})-[:IN_CATEGORY]->(:Concept)-[:BROADER*0..5]->(c{u}:Concept) "
                          "WHERE c{u}.id {op} {p} }}", frozenset({"eq", "in"}), pattern=True),
        "need": Field("EXISTS {{ MATCH ({v})-[:ADDRESSES]->(:Concept)-[:BROADER*0..5]->(c{u}:Concept) "
                      "WHERE c{u}.id {op} {p} }}", frozenset({"eq", "in"}), pattern=True),
        "awarded": Field("EXISTS {{ MATCH ({v})-[:RECEIVED]->(:Award) }}", frozenset({"eq"}), flag=True),
    },
    "Organization": {
        "id": _prop("id", _KEY_OPS), "name": _text("name"), "kind": _prop("kind", frozenset({"eq", "in"})),
        "within": Field("EXISTS {{ MATCH ({v})-[:ADMINISTERS|SERVES]->(t{u}) WHERE t{u}.ars STARTS WITH {p} }}",
                        frozenset({"startsWith"}), pattern=True),
    },
}


@dataclass(frozen=True)
class Relation:
    """Patterns from the node `{v}` to a related node `{w}` of `label`; any pattern may supply it."""

    label: str
    patterns: tuple[str, ...]


RELATIONS: dict[str, dict[str, Relation]] = {
    # a municipality's adoptions are its own and those of the organisations that administer it
    "Municipality": {"adoptions": Relation("Adoption", ("({v})<-[:BY]-({w}:Adoption)",
                                                        "({v})<-[:ADMINISTERS]-(:Organization)<-[:BY]-({w}:Adoption)"))},
    "Adoption": {
        "solution": Relation("Solution", ("({v})-[:OF]->({w}:Solution)",)),
        # the adopting municipality: the adopter itself, or the municipality its administration runs
        "adopter_municipality": Relation("Municipality", ("({v})-[:BY]->({w}:Municipality)",
                                                          "({v})-[:BY]->(:Organization)-[:ADMINISTERS]->"
                                                          "({w}:Municipality)")),
    },
    "Solution": {"adoptions": Relation("Adoption", ("({v})<-[:OF]-({w}:Adoption)",))},
    "Organization": {"adoptions": Relation("Adoption", ("({v})<-[:BY]-({w}:Adoption)",))},
}


@dataclass
class _Compiler:
    params: dict[str, Any] = field(default_factory=dict)
    variables: int = 0
    nodes: int = 0

    def parameter(self, value: Any) -> str:  # noqa: ANN401 - any JSON value
        name = f"w{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def variable(self) -> str:
        self.variables += 1
        return f"v{self.variables}"

    def count(self, amount: int = 1) -> None:
        self.nodes += amount
        if self.nodes > MAX_TREE_NODES:
            raise ValueError(f"the filter has more than {MAX_TREE_NODES} conditions and values; split the question")

    def tree(self, label: str, node: Any, var: str, depth: int) -> str:  # noqa: ANN401 - JSON
        if depth > MAX_TREE_DEPTH:
            raise ValueError(f"the filter nests more than {MAX_TREE_DEPTH} levels of AND/OR/NOT and relations")
        if not isinstance(node, dict) or len(node) == 0:
            raise ValueError("a filter node must be an object")
        self.count()
        if "all" in node or "any" in node:
            children = node.get("all", node.get("any"))
            if not isinstance(children, list):
                raise ValueError("AND/OR take a list of filters")
            parts = [self.tree(label, child, var, depth + 1) for child in children]
            if not parts:
                return "true" if "all" in node else "false"
            return "(" + (" AND " if "all" in node else " OR ").join(parts) + ")"
        if "not" in node:
            return f"(NOT {self.tree(label, node['not'], var, depth + 1)})"
        if "some" in node:
            return self.related(label, node, var, depth)
        return self.comparison(label, node, var)

    def related(self, label: str, node: dict[str, Any], var: str, depth: int) -> str:
        relation = RELATIONS.get(label, {}).get(node["some"])
        if relation is None:
            raise ValueError(f"{label} has no relation {node['some']!r} to filter on")
        inner = self.variable()
        condition = self.tree(relation.label, node.get("where", {"all": []}), inner, depth + 1)
        exists = [f"EXISTS {{ MATCH {pattern.format(v=var, w=inner)} WHERE {condition} }}"
                  for pattern in relation.patterns]
        return exists[0] if len(exists) == 1 else "(" + " OR ".join(exists) + ")"

    def comparison(self, label: str, node: dict[str, Any], var: str) -> str:
        name, op, value = node.get("field"), node.get("op"), node.get("value")
        spec = FIELDS.get(label, {}).get(str(name))
        if spec is None:
            raise ValueError(f"{label} has no filter field {name!r}")
        if op not in spec.ops:
            allowed = ", ".join(sorted(spec.ops))
            raise ValueError(f"{label}.{name} does not take the operator {op!r} (it takes {allowed})")
        if spec.flag:
            if not isinstance(value, bool):
                raise ValueError(f"{label}.{name} takes true or false")
            condition = spec.expression.format(v=var)
            return condition if value else f"(NOT {condition})"
        if op == "in":
            if not isinstance(value, list):
                raise ValueError(f"{label}.{name} in takes a list")
            self.count(len(value))
        if value is None or (isinstance(value, list) and any(v is None for v in value)):
            raise ValueError(f"{label}.{name} compares with null; leave the field out instead")
        if spec.folded:
            value = [fold(str(v)) for v in value] if isinstance(value, list) else fold(str(value))
        slot = self.parameter(value)
        if spec.pattern:
            return "(" + spec.expression.format(v=var, u=self.variable(), p=slot, op=OPERATORS[op]) + ")"
        expression = spec.expression.format(v=var)
        compared = folded_cypher(expression) if spec.folded else expression
        return f"({expression} IS NOT NULL AND {compared} {OPERATORS[op]} {slot})"


def compile_tree(label: str, tree: Any, var: str = "n") -> tuple[str, dict[str, Any]]:  # noqa: ANN401 - JSON
    """(Cypher condition over `var`, parameters) for a filter tree on `label` nodes."""
    compiler = _Compiler()
    condition = compiler.tree(label, tree, var, 0)
    return condition, compiler.params


def example_trees() -> dict[str, tuple[str, Any]]:
    """One tree per label using every field and relation (for the Neo4j lint of every text form)."""
    def every_field(label: str) -> list[dict[str, Any]]:
        leaves = []
        for name, spec in FIELDS[label].items():
            op = sorted(spec.ops)[0]
            sample: Any = 1 if name == "population" else "x"
            value: Any = True if spec.flag else ([sample] if op == "in" else sample)
            leaves.append({"field": name, "op": op, "value": value})
        return leaves

    trees: dict[str, tuple[str, Any]] = {}
    for label in FIELDS:
        related = [{"some": name, "where": {"all": every_field(relation.label)[:2]}}
                   for name, relation in RELATIONS.get(label, {}).items()]
        trees[f"filter-tree-{label}"] = (label, {"any": [{"all": every_field(label)}, {"not": {"all": related}}]})
    return trees

