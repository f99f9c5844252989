"""The size of a GraphQL request, measured before graphql-core validates or executes it.

A document is refused when it is too big to parse (tokens, bracket nesting), too deep, uses
too many aliases, or would cost too much: every field costs 1, and a list field multiplies its
children by `first` (connection fields without `first` count with the default page size).

Why one memoised walk of our own: Strawberry's depth and alias limiters and the former cost
walk expanded every fragment spread again, so 22 fragments that each spread the previous one
twice (857 bytes) cost 2^21 visits and froze the server for 12.7 s. Here every fragment is
measured once per operation and its spreads reuse that number, so the walk is linear in the
document's size while the numbers it reports are those of the fully expanded query.

`first` is read from the operation's variables after graphql-core's own coercion (defaults
apply, `100.0` is the Int 100), so a variable counts exactly as it will execute. Refusals carry
`extensions.code` (`TOKEN_LIMIT`, `NESTING_LIMIT`, `DEPTH_LIMIT`, `ALIAS_LIMIT`, `COST_LIMIT`,
`FILTER_LIMIT`, `BAD_USER_INPUT`) so clients can tell a limit from a bug. A `filter` argument is bounded
in size (conditions and list items) and in nesting (AND/OR/NOT, relationship conditions), so a
huge nested filter is refused before any Cypher is compiled for it.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
    Undefined,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)
from graphql.execution.values import get_variable_values
from graphql.language.lexer import Lexer
from strawberry.extensions import ValidationCache

from graph_api.schema.errors import multiple_operations_error
from graph_api.schema.pagination import MAX_FIRST

DEFAULT_PAGE = 20
_OPENING = frozenset({TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L})
_CLOSING = frozenset({TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R})
_REPORTED_MAX = 10**12  # costs above are reported as "more than", not as a 600-digit number


@dataclass(frozen=True)
class Budget:
    """The limits one document must stay within."""

    max_tokens: int
    max_nesting: int
    max_depth: int
    max_aliases: int
    max_cost: int


def limit_error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


# ---- before parsing -------------------------------------------------------------------
def scan_text(query: str, max_tokens: int, max_nesting: int) -> GraphQLError | None:
    """Count tokens and bracket nesting with the (non-recursive) lexer, before the recursive parser.

    graphql-core's parser recurses once per nested bracket: a few thousand `[` would end in a
    RecursionError; here they are refused at `max_nesting`. Syntax errors are left to the parser,
    which reports them with their location."""
    lexer = Lexer(Source(query))
    tokens = nesting = 0
    try:
        token = lexer.advance()
        while token.kind is not TokenKind.EOF:
            tokens += 1
            if tokens > max_tokens:
                return limit_error(f"the document has more than {max_tokens} tokens; send a smaller query",
                                   "TOKEN_LIMIT")
            if token.kind in _OPENING:
                nesting += 1
                if nesting > max_nesting:
                    return limit_error(f"the document nests brackets more than {max_nesting} deep", "NESTING_LIMIT")
            elif token.kind in _CLOSING:
                nesting -= 1
            token = lexer.advance()
    except GraphQLError:
        return None
    return None


# ---- after parsing --------------------------------------------------------------------
# ---- filter arguments ------------------------------------------------------------------
FILTER_ARGUMENTS = frozenset({"filter"})
MAX_FILTER_DEPTH = 10  # nested input objects (AND/OR/NOT, relationship conditions, conditions) in one filter
MAX_FILTER_SIZE = 250  # fields set plus list items in one filter (an `idIn` of 100 ids fits)


def filter_size(value: Any) -> tuple[int, int]:  # noqa: ANN401 - any input value
    """(fields and list items, depth of nested objects) of one argument value, without recursion
    (a document may nest brackets up to the lexer's limit; this walk must not be the one that fails)."""
    size = depth = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            level += 1
            depth = max(depth, level)
            given = [v for v in item.values() if v is not None]  # coerced variables list omitted fields as None
            size += len(given)
            stack.extend((v, level) for v in given)
        elif isinstance(item, list):
            size += len(item)
            stack.extend((v, level) for v in item)
    return size, depth


def filter_error(node: FieldNode, variables: Mapping[str, Any]) -> GraphQLError | None:
    """A FILTER_LIMIT refusal when a filter argument of `node` is too large or too deeply nested."""
    for argument in node.arguments or ():
        if argument.name.value not in FILTER_ARGUMENTS:
            continue
        size, depth = filter_size(value_from_ast_untyped(argument.value, variables))
        if depth > MAX_FILTER_DEPTH:
            return limit_error(f"the filter of '{node.name.value}' nests {depth} levels of objects; at most "
                               f"{MAX_FILTER_DEPTH} (AND/OR/NOT and relationship conditions)", "FILTER_LIMIT")
        if size > MAX_FILTER_SIZE:
            return limit_error(f"the filter of '{node.name.value}' has {size} conditions and values; at most "
                               f"{MAX_FILTER_SIZE}", "FILTER_LIMIT")
    return None


@dataclass(frozen=True)
class Shape:
    """What a selection set amounts to once every fragment is expanded."""

    cost: int = 0
    depth: int = 0  # field levels, a leaf counting 1
    aliases: int = 0
    refusal: GraphQLError | None = None  # the first filter argument over its limits

    def __add__(self, other: Shape) -> Shape:
        return Shape(self.cost + other.cost, max(self.depth, other.depth), self.aliases + other.aliases,
                     self.refusal or other.refusal)


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    memo: dict[str, Shape] = field(default_factory=dict)
    active: set[str] = field(default_factory=set)

    def selection_set(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None) -> Shape:
        total = Shape()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                total += self.selection_set(selection.selection_set,
                                            self.schema.get_type(condition.name.value) if condition else parent)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> Shape:
        if name in self.memo:
            return self.memo[name]
        if name not in self.fragments or name in self.active:
            return Shape()  # unknown fragments and cycles are refused by graphql-core's validation
        self.active.add(name)
        definition = self.fragments[name]
        self.memo[name] = self.selection_set(definition.selection_set,
                                             self.schema.get_type(definition.type_condition.name.value))
        self.active.discard(name)
        return self.memo[name]

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Shape:
        fields = parent.fields if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else {}
        definition = fields.get(node.name.value)
        children = self.selection_set(node.selection_set, get_named_type(definition.type) if definition else None)
        multiplier = self.first(node, definition)
        if multiplier is None:
            has_edges = node.selection_set is not None and any(
                isinstance(s, FieldNode) and s.name.value == "edges" for s in node.selection_set.selections)
            multiplier = DEFAULT_PAGE if has_edges else 1
        # introspection fields do not count towards depth (as in Strawberry's QueryDepthLimiter)
        depth = 1 if node.name.value.startswith("__") else 1 + children.depth
        return Shape(1 + max(multiplier, 1) * children.cost, depth, children.aliases + (1 if node.alias else 0),
                     children.refusal or filter_error(node, self.variables))

    def first(self, node: FieldNode, definition: GraphQLField | None) -> int | None:
        """`first` as it will execute: the argument, else the schema's default (an omitted variable counts
        as an omitted argument); a value that cannot count (wrong type) counts as the page cap."""
        raw = None
        argument = next((a for a in node.arguments or () if a.name.value == "first"), None)
        if argument is not None and not (isinstance(argument.value, VariableNode)
                                         and argument.value.name.value not in self.variables):
            value = argument.value
            raw = self.variables[value.name.value] if isinstance(value, VariableNode) else \
                value_from_ast_untyped(value)
        elif definition is not None and "first" in definition.args:
            default = definition.args["first"].default_value
            raw = None if default is Undefined else default
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return MAX_FIRST
        return int(raw) if float(raw).is_integer() else MAX_FIRST


def _operations(document: DocumentNode, operation_name: str | None) -> Iterator[OperationDefinitionNode]:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and (
                operation_name is None or (definition.name and definition.name.value == operation_name)):
            yield definition


def measure(schema: GraphQLSchema, document: DocumentNode, variables: Mapping[str, Any] | None,
            operation_name: str | None, budget: Budget) -> list[GraphQLError]:
    """The limit errors of `document` (empty when it fits the budget); never expands a fragment twice."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    for operation in _operations(document, operation_name):
        coerced = get_variable_values(schema, operation.variable_definitions or (), dict(variables or {}),
                                      max_errors=10)
        if isinstance(coerced, list):  # wrong type, missing required variable, unknown input type
            return [GraphQLError(e.message, e.nodes, extensions={"code": "BAD_USER_INPUT"}) for e in coerced]
        shape = _Walk(schema, fragments, coerced.coerced).selection_set(
            operation.selection_set, schema.get_root_type(operation.operation))
        name = operation.name.value if operation.name else "anonymous"
        if shape.refusal is not None:
            return [shape.refusal]
        if shape.depth - 1 > budget.max_depth:
            return [limit_error(f"'{name}' exceeds maximum operation depth of {budget.max_depth}", "DEPTH_LIMIT")]
        if shape.aliases > budget.max_aliases:
            return [limit_error(f"{shape.aliases} aliases found. Allowed: {budget.max_aliases}", "ALIAS_LIMIT")]
        if shape.cost > budget.max_cost:
            told = f"more than {_REPORTED_MAX}" if shape.cost > _REPORTED_MAX else str(shape.cost)
            return [limit_error(f"query cost {told} exceeds the limit of {budget.max_cost}: ask for smaller pages "
                                "(first) or fewer nested lists", "COST_LIMIT")]
    return []


class FitsCache:
    """Requests already measured and found within the budget, least recently used first out.

    Clients repeat the same few documents; once a text passed the token and nesting scan, and a
    (text, operation, variables) passed the walk, repeating them cannot change the answer (the
    schema and the budget are fixed for the process). Only passes are kept, as keys: a refusal is
    measured again (refusals are rare and their errors belong to one response). Long texts or
    variables are never kept, so the cache stays small whatever clients send."""

    MAX_KEY_CHARS = 20_000

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._keys: OrderedDict[tuple[str, ...], None] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: tuple[str, ...]) -> bool:
        with self._lock:
            if key in self._keys:
                self._keys.move_to_end(key)
                return True
            return False

    def add(self, key: tuple[str, ...]) -> None:
        if sum(len(part) for part in key) > self.MAX_KEY_CHARS:
            return
        with self._lock:
            self._keys[key] = None
            while len(self._keys) > self.capacity:
                self._keys.popitem(last=False)


def _variables_key(variables: Mapping[str, Any] | None) -> str | None:
    """The variables as a canonical text, None when they cannot be one (then nothing is cached)."""
    if not variables:
        return ""
    try:
        return json.dumps(variables, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None


_FITS: dict[Budget, FitsCache] = {}
_FITS_LOCK = threading.Lock()


def fits_cache(budget: Budget, capacity: int) -> FitsCache:
    """One cache per budget for the process: extensions are made per request, the cache must outlive them."""
    with _FITS_LOCK:
        return _FITS.setdefault(budget, FitsCache(capacity))


class DocumentBudget(ValidationCache):
    """Measures the request first and runs graphql-core's (cached) validation only on a document that fits.

    Replaces Strawberry's MaxTokensLimiter, QueryDepthLimiter and MaxAliasesLimiter (which expand
    fragments) and the former cost extension: one place for every size rule. A request that fitted
    before is not measured again (`FitsCache`): the scan and the walk were a tenth of a single
    entity's CPU time."""

    def __init__(self, budget: Budget, maxsize: int):
        super().__init__(maxsize=maxsize)
        self.budget = budget
        self.fits = fits_cache(budget, maxsize)

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query
        if query and self.execution_context.graphql_document is None and ("scan", query) not in self.fits:
            error = scan_text(query, self.budget.max_tokens, self.budget.max_nesting)
            if error is not None:
                raise error
            self.fits.add(("scan", query))
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        variables = _variables_key(context.variables)
        named = context._provided_operation_name
        key = ("walk", context.query or "", "-" if named is None else f"={named}", variables or "")
        if variables is None or context.query is None or key not in self.fits:
            # Strawberry would run the first of several operations when no operationName was sent
            ambiguous = multiple_operations_error(context.graphql_document, context._provided_operation_name)
            errors = [ambiguous] if ambiguous else measure(
                context.schema._schema, context.graphql_document, context.variables, context.operation_name,
                self.budget)
            if errors:
                context.pre_execution_errors = errors
                yield
                return
            if variables is not None and context.query is not None:
                self.fits.add(key)
        yield from super().on_validate()


__all__ = ["Budget", "DocumentBudget", "FitsCache", "measure", "scan_text"]
