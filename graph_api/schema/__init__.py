"""The GraphQL schema: core types of the contract, mission queries, mutations and defences.

Defences: one document budget measured before validation (tokens, bracket nesting, depth,
aliases, and a cost that multiplies `first` down nested lists; see `cost.py`), and a per-request
time budget for the whole request, which runs off the server's event loop (`deadline.py`) and
is also enforced at every store call (see `GraphContext.remaining_ms`).
"""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from graph_api.schema.cost import Budget, DocumentBudget
from graph_api.schema.deadline import OffLoopSchema
from graph_api.schema.errors import CodedParserCache, MaskInternalErrors
from graph_api.schema.mutations import Mutation
from graph_api.schema.query import Query
from graph_api.schema.types import ALL_TYPES

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 5_000
MAX_COST = 50_000
MAX_NESTING = 64  # brackets; the recursive parser would otherwise meet Python's recursion limit
CACHED_DOCUMENTS = 256  # parsed and validated documents kept (LRU); clients repeat the same few queries

BUDGET = Budget(max_tokens=MAX_TOKENS, max_nesting=MAX_NESTING, max_depth=MAX_DEPTH, max_aliases=MAX_ALIASES,
                max_cost=MAX_COST)


def build_schema() -> strawberry.Schema:
    return OffLoopSchema(
        query=Query,
        mutation=Mutation,
        types=list(ALL_TYPES),
        config=StrawberryConfig(auto_camel_case=True),
        extensions=[
            # before ParserCache: the budget's token and nesting scan runs before the recursive parser
            lambda: DocumentBudget(BUDGET, maxsize=CACHED_DOCUMENTS),
            lambda: CodedParserCache(maxsize=CACHED_DOCUMENTS),
            MaskInternalErrors,
        ],
    )


schema = build_schema()
