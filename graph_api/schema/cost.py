"""A query cost limit: every field costs 1, and a list field multiplies its children by `first`.

Depth and alias limits alone let `municipalities(first:100){adoptions(first:100){...}}` ask for
10,000 nested objects in a shallow query; the cost estimate catches that before execution.
Connection fields without `first` count with their default page size (20).
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

DEFAULT_PAGE = 20


def _first(field: FieldNode, variables: dict[str, Any]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value == "first":
            value = argument.value
            if isinstance(value, VariableNode):
                raw = variables.get(value.name.value)
                return int(raw) if isinstance(raw, int) else None
            try:
                return int(value.value)  # type: ignore[attr-defined]
            except (AttributeError, TypeError, ValueError):
                return None
    return None


def selection_cost(selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode],
                   variables: dict[str, Any], seen: frozenset[str] = frozenset()) -> int:
    if selection_set is None:
        return 0
    total = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            children = selection_cost(selection.selection_set, fragments, variables, seen)
            first = _first(selection, variables)
            has_edges = selection.selection_set is not None and any(
                isinstance(s, FieldNode) and s.name.value == "edges" for s in selection.selection_set.selections)
            multiplier = first if first is not None else (DEFAULT_PAGE if has_edges else 1)
            total += 1 + max(multiplier, 1) * children
        elif isinstance(selection, InlineFragmentNode):
            total += selection_cost(selection.selection_set, fragments, variables, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                total += selection_cost(fragments[name].selection_set, fragments, variables, seen | {name})
    return total


class CostLimiter(SchemaExtension):
    def __init__(self, max_cost: int):
        self.max_cost = max_cost

    def on_validate(self):  # noqa: ANN201 - generator hook
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
            variables = context.variables or {}
            for definition in document.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    cost = selection_cost(definition.selection_set, fragments, variables)
                    if cost > self.max_cost:
                        context.pre_execution_errors = [GraphQLError(
                            f"query cost {cost} exceeds the limit of {self.max_cost}: ask for smaller pages "
                            "(first) or fewer nested lists")]
                        break
        yield
