"""Ranked recommendations for one municipality, each reason naming its evidence.

Candidates: solutions the municipality has not taken up (no own adoption in TAKEN_UP) and that
do not already cover it via its association or county. Evidence: the active adopters by
distance (same association, same county, same state, elsewhere — each adopter counted once at
its nearest level; a reason names the first `NAMED_PER_REASON`, nearest first, and counts the
rest), the adopting municipalities of similar size (municipalities only, never
Ämter or counties), the awards by name (only `SEAL_AWARD_ID` is "the seal 'Bewährt vor Ort'"),
the stated need and the maturity.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph_api.mission.coverage import coverage, places_of
from graph_api.mission.definitions import (
    MATURE,
    RECOMMENDATION_WEIGHTS,
    SEAL_AWARD_ID,
    SIMILAR_SIZE_FACTOR,
    TAKEN_UP,
)

LEVELS = ("same_association", "same_county", "same_state", "elsewhere")


def proximity(home_ars: str, other_ars: str | None) -> int:
    """3 = same association, 2 = same county, 1 = same state, 0 = elsewhere or unknown."""
    if not other_ars:
        return 0
    if home_ars[:9] == other_ars[:9] and home_ars[5:9] != "0000":
        return 3
    if home_ars[:5] == other_ars[:5]:
        return 2
    if home_ars[:2] == other_ars[:2]:
        return 1
    return 0


def similar_size(a: int | None, b: int | None) -> bool:
    """Both known and positive, each at most SIMILAR_SIZE_FACTOR times the other."""
    return bool(a and b) and a * SIMILAR_SIZE_FACTOR >= b and a <= b * SIMILAR_SIZE_FACTOR


@dataclass
class Adopter:
    id: str
    name: str
    level: int
    population: int | None
    is_municipality: bool


# Adopters named in one reason; the others are counted ("… and 1806 more"). A popular solution has
# thousands of adopters: listing them all made every reason of its recommendation ~40 KB long.
NAMED_PER_REASON = 5
NEAREST_SHOWN = 3  # adopters a recommendation shows as its nearest (`nearestAdopters`)


def nearest_first(adopters: list[Adopter], home: dict[str, Any]) -> list[Adopter]:
    """Nearest level first, then closest in size (population ratio), then id: the order adopters are named."""
    population = home.get("population") or 1
    return sorted(adopters, key=lambda a: (-a.level, abs(math.log((a.population or 1) / population)), a.id))


@dataclass
class Found:
    """What one recommendation says about its solution's adopters for one home: how many at each level
    (index = level) and of similar size, the first of each nearest first, and its evidence."""

    levels: list[int]
    named: dict[int, list[Adopter]]  # at most the number asked for, per level
    similar: int
    similar_named: list[Adopter]
    nearest: list[str]  # the first `NEAREST_SHOWN` adopters
    evidence: list[str]  # the first adoptions (nearest adopter first, then id), at most the number asked for
    evidence_count: int  # all the adoptions the reasons count
    illustrative: int  # adopters with no counted adoption backed by a real source

    @property
    def adopters(self) -> int:
        return sum(self.levels)

    @classmethod
    def of(cls, listed: list[Adopter], home: dict[str, Any], adoptions: Mapping[str, tuple[str, ...]], named: int,
           limit: int, evidence_count: int, illustrative: int, *, counts: list[int] | None = None,
           similar: int | None = None) -> Found:
        """From every adopter (`listed`, any order), or — with their `counts` and `similar` total — from the
        nearest ones only: all at levels 1-3 and, of level 0, as many as the lists shown need."""
        ordered = nearest_first(listed, home)
        alike = [a for a in ordered if a.is_municipality and similar_size(home.get("population"), a.population)]
        evidence: list[str] = []
        for adopter in ordered:
            if len(evidence) >= limit:
                break
            evidence += adoptions[adopter.id]
        return cls(counts if counts is not None else [sum(1 for a in ordered if a.level == n) for n in range(4)],
                   {n: [a for a in ordered if a.level == n][:named] for n in range(4)},
                   similar if similar is not None else len(alike), alike[:named],
                   [a.id for a in ordered[:NEAREST_SHOWN]], evidence[:limit], evidence_count, illustrative)


@dataclass
class Scored:
    solution: dict[str, Any]
    score: float
    reasons: list[str]
    found: Found

    @property
    def nearest(self) -> list[str]:
        return self.found.nearest


def _names(shown: list[Adopter], count: int) -> str:
    """The adopters shown (nearest first) by name, and how many of `count` are not."""
    names = ", ".join(a.name for a in shown)
    return f"{names} and {count - len(shown)} more" if count > len(shown) else names


def excluded(home: dict[str, Any], county: dict[str, Any], rows: list[dict[str, Any]]) -> set[str]:
    """Solutions the municipality has taken up itself, or that cover it via its association or county."""
    own = {r["solution"] for r in rows if r["status"] in TAKEN_UP
           and any(place == home["id"] for place, _ in places_of(r))}
    covered = {c.solution for c in coverage([home], county, rows)[0].covers}
    return own | covered


def rank(solutions: list[dict[str, Any]], counts: Mapping[str, Any], awards: dict[str, list[dict[str, Any]]],
         need: dict[str, Any] | None, recorded: Mapping[str, list[dict[str, Any]]] | None = None
         ) -> list[dict[str, Any]]:
    """Candidates by the score `score` gives them, computed from their adopter counts alone.

    `counts[solution]` has `levels` (distinct active adopters by nearest level, index = level) and
    `similar` (those that are municipalities of similar size), as `adopters_by_solution` would count them."""
    w = RECOMMENDATION_WEIGHTS
    value: dict[str, float] = defaultdict(float)
    for solution, found in counts.items():
        value[solution] += sum(w[LEVELS[3 - level]] * n for level, n in enumerate(found.levels))
        value[solution] += w["similar_size"] * found.similar
    for solution, granted in awards.items():
        value[solution] += sum(w["seal"] if a["award"] == SEAL_AWARD_ID else w["other_award"] for a in granted)
    for solution in solutions:
        value[solution["id"]] += (w["need"] if need is not None or (recorded or {}).get(solution["id"]) else 0) + (
            w["maturity"] if solution.get("maturity") in MATURE else 0)
    return sorted(solutions, key=lambda s: (-round(value[s["id"]], 3), s["id"]))


def score(home: dict[str, Any], solutions: list[dict[str, Any]], found: Mapping[str, Found],
          awards: dict[str, list[dict[str, Any]]], need: dict[str, Any] | None,
          recorded: Mapping[str, list[dict[str, Any]]] | None = None) -> list[Scored]:
    """Each candidate's score and reasons from what `found` says of its adopters. `recorded` holds, by
    solution, the municipality's open recorded needs it addresses (the needs log): they weigh like a stated
    need, once, and each is named."""
    w = RECOMMENDATION_WEIGHTS
    association = home.get("_association_name") or "its association"
    out = []
    for solution in solutions:
        seen = found[solution["id"]]
        value, reasons = 0.0, []
        for level, key, where in ((3, "same_association", f"in the same association ({association})"),
                                  (2, "same_county", "elsewhere in the same county"),
                                  (1, "same_state", "elsewhere in the same state"),
                                  (0, "elsewhere", "in other states")):
            count = seen.levels[level]
            if count:
                value += w[key] * count
                reasons.append(f"in use by {count} adopter{'s' if count != 1 else ''} {where}: "
                               f"{_names(seen.named[level], count)}")
        if seen.similar:
            value += w["similar_size"] * seen.similar
            reasons.append(f"in use by {seen.similar} municipalit{'y' if seen.similar == 1 else 'ies'} of similar "
                           f"size: {_names(seen.similar_named, seen.similar)}")
        for award in sorted(awards.get(solution["id"], []), key=lambda a: (a["award"], a.get("year") or 0)):
            year = f" ({award['year']})" if award.get("year") else ""
            if award["award"] == SEAL_AWARD_ID:
                value += w["seal"]
                reasons.append(f"awarded the seal '{award['name']}'{year}")
            else:
                value += w["other_award"]
                reasons.append(f"received the award '{award['name']}'{year}")
        if need is not None:
            value += w["need"]
            reasons.append(f"addresses the stated need '{need.get('label') or need['id']}' ({need['id']})")
        elif (recorded or {}).get(solution["id"]):
            value += w["need"]
            reasons += [f"addresses the recorded need '{r.get('label') or r['concept']}' ({r['need']}, recorded "
                        f"{r.get('recorded_on') or 'undated'})" for r in recorded[solution["id"]]]
        if solution.get("maturity") in MATURE:
            value += w["maturity"]
            reasons.append(f"maturity: {solution['maturity']}")
        out.append(Scored(solution, round(value, 3), reasons or ["no active adopter yet"], seen))
    return sorted(out, key=lambda s: (-s.score, s.solution["id"]))
