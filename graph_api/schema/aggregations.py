"""Adoption counts for charts: by status, start year, county and category, over any adoption filter.

Counts are of adoptions (one adopter taking up one solution), not of adopters. An adoption counts
in the county of its adopter (the first five digits of the adopter's ARS; for an adopting
organisation, of the territories it administers or serves, once per county) and in each direct
category of its solution. `key: null` is the bucket of what is not stated: no start date, an
adopter above county level, a solution without a category. The store answers one row per adoption
(`StoreReads.adoption_facts`); the counting is plain Python here, so the same filter tree that
lists adoptions also counts them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.types import Info

from graph_api.schema.filters import Where
from graph_api.schema.types import ctx

_COUNTY_DIGITS = 5


@strawberry.type(description="One bar of a chart: a key, its display label and how many adoptions it has.")
class Bucket:
    key: str | None = strawberry.field(description="Status, year, County id or Concept id; null: not stated.")
    label: str | None
    count: int


@strawberry.type(description="Adoption counts for charts; each list is ordered by key (null last).")
class AdoptionStats:
    total: int
    by_status: list[Bucket]
    by_year: list[Bucket]
    by_county: list[Bucket]
    by_category: list[Bucket]


def _counties(row: dict[str, Any]) -> set[str | None]:
    keys = {ars[:_COUNTY_DIGITS] for ars in [*row["own"], *row["served"]] if len(ars) >= _COUNTY_DIGITS
            and ars[2:_COUNTY_DIGITS] != "000"}
    return {f"County:{k}" for k in keys} or {None}


def _buckets(counts: Counter[str | None], labels: dict[str, str]) -> list[Bucket]:
    ordered = sorted(counts.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    return [Bucket(key=k, label=labels.get(k, k) if k is not None else None, count=n) for k, n in ordered]


async def _labels(info: Info, ids: Iterable[str | None], field: str) -> dict[str, str]:
    wanted = sorted({i for i in ids if i is not None})
    nodes = await ctx(info).nodes.load_many(wanted)
    return {i: str(n.get(field) or i) for i, n in zip(wanted, nodes, strict=True) if n}


async def adoption_stats(info: Info, where: Where) -> AdoptionStats:
    context = ctx(info)
    filters, params = where
    rows = await context.call(context.store.adoption_facts, filters, params)
    statuses: Counter[str | None] = Counter(r["status"] for r in rows)
    years: Counter[str | None] = Counter((r["started"] or "")[:4] or None for r in rows)
    counties: Counter[str | None] = Counter(c for r in rows for c in _counties(r))
    categories: Counter[str | None] = Counter(c for r in rows for c in (r["categories"] or [None]))
    return AdoptionStats(
        total=len(rows), by_status=_buckets(statuses, {}), by_year=_buckets(years, {}),
        by_county=_buckets(counties, await _labels(info, counties, "name")),
        by_category=_buckets(categories, await _labels(info, categories, "label")))
