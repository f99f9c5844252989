"""The GraphQL schema: core types of the contract, mission queries, mutations and defences.

Defences are Strawberry extensions and validation rules: query depth, alias count and token
count limits, a cost limit that multiplies `first` down nested lists, and a per-request time
budget enforced at every store call (see `GraphContext.remaining_ms`).
"""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from graph_api.schema.cost import CostLimiter
from graph_api.schema.errors import MaskInternalErrors
from graph_api.schema.mutations import Mutation
from graph_api.schema.query import Query
from graph_api.schema.types import ALL_TYPES

MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 5_000
MAX_COST = 50_000
CACHED_DOCUMENTS = 256  # parsed and validated documents kept (LRU); clients repeat the same few queries

# The limiters' rule classes are built once: a class made per request would be a new cache key
# every time, and the validation cache (the largest share of a small request's CPU) would never hit.
_LIMIT_RULES = (*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
                *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules)


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=list(ALL_TYPES),
        config=StrawberryConfig(auto_camel_case=True),
        extensions=[
            lambda: AddValidationRules(list(_LIMIT_RULES)),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
            # before CostLimiter: it sets the (cached) validation errors, the cost check may then replace them
            lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
            lambda: CostLimiter(max_cost=MAX_COST),
            MaskInternalErrors,
        ],
    )


schema = build_schema()
