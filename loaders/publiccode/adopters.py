"""Free-text adopter names (publiccode.yml `usedBy`) matched to official territories and organisations.

`usedBy` is a list of names as people write them: "Stadt Mölln", "Gemeinde Aumühle",
"Moelln", "Amt Büchen", "Landkreis Ludwigslust-Parchim", "Kreisverwaltung Herzogtum Lauenburg".
GV100AD writes the same places as "Mölln, Stadt" or "Lauenburg/ Elbe, Stadt". A name is matched
when, after the same normalisation of both sides, exactly one territory or organisation carries it:

* German spellings fold (`graph_api.german.fold`: ä = ae, ß = ss), case, `/`, `-`, `.`, brackets
  and repeated spaces are ignored;
* a leading or trailing kind word ("Stadt", "Gemeinde", "Amt", "Landkreis", ...) says which kind
  of territory is meant and is not part of the name;
* a trailing qualifier in brackets that names a county or state ("Neustadt (Ostholstein)")
  chooses among several places of that name; otherwise the brackets are part of the name
  ("Wentorf (Amt Sandesneben)", as GV100AD writes it);
* "Amt Büchen" names both the Amt and the organisation that `ADMINISTERS` it: the Amt is meant;
* an amtsfreie Stadt appears in GV100AD twice (municipality and its one-member association):
  without the word "Amt" the municipality is meant.

Nothing is guessed: no similarity scores, no "closest" candidate. A name that fits several
places is **ambiguous** and one that fits none is **unmatched**; both are reported with the
candidates, and neither is linked.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph_api.german import fold

# kind words -> the labels they mean
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "stadt": ("Municipality",), "hansestadt": ("Municipality",), "gemeinde": ("Municipality",),
    "markt": ("Municipality",), "marktgemeinde": ("Municipality",), "flecken": ("Municipality",),
    "landeshauptstadt": ("Municipality",), "kreisstadt": ("Municipality",), "grosse kreisstadt": ("Municipality",),
    "kreisfreie stadt": ("Municipality", "County"), "universitaetsstadt": ("Municipality",),
    "amt": ("Association",), "samtgemeinde": ("Association",), "verbandsgemeinde": ("Association",),
    "verwaltungsgemeinschaft": ("Association",), "verwaltungsverband": ("Association",),
    "landkreis": ("County",), "kreis": ("County",), "stadtkreis": ("County",),
    "land": ("State",), "freistaat": ("State",), "bundesland": ("State",),
}
_LONGEST_FIRST = sorted(_KIND_WORDS, key=len, reverse=True)
_QUALIFIER = re.compile(r"^(?P<name>.+?)\s*\((?P<qualifier>[^()]+)\)\s*$")


def normalise(text: str) -> str:
    """Fold German spellings and case; `/ - . , ( )` and runs of spaces become one space."""
    return " ".join(re.sub(r"[/\-.,()'’\"]", " ", fold(text)).split())


def split_kind(text: str) -> tuple[str, tuple[str, ...]]:
    """(name without kind words, labels the kind words mean); "Mölln, Stadt" -> ("moelln", (Municipality,))."""
    base, _, suffix = text.partition(",")
    labels: tuple[str, ...] = ()
    suffix_norm = normalise(suffix)
    if suffix_norm in _KIND_WORDS:
        labels = _KIND_WORDS[suffix_norm]
        text = base
    name = normalise(text)
    for word in _LONGEST_FIRST:
        if name.startswith(word + " "):
            return name[len(word) + 1:], labels or _KIND_WORDS[word]
    return name, labels


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    county_ags: str | None = None


@dataclass
class Match:
    text: str
    id: str | None = None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def ambiguous(self) -> bool:
        return self.id is None and len(self.candidates) > 1


class AdopterIndex:
    """Territories and organisations by normalised name, built once per load."""

    def __init__(self, territories: list[dict[str, Any]], organizations: list[dict[str, Any]],
                 administrations: list[dict[str, Any]] = ()):
        self._administers = {(row["organization"], row["territory"]) for row in administrations}
        self._territories: dict[str, list[tuple[Candidate, str, str | None]]] = defaultdict(list)
        self._organizations: dict[str, list[Candidate]] = defaultdict(list)
        self._region_names: dict[str, set[str]] = defaultdict(set)  # normalised county/state name -> ags
        self._region_by_ags: dict[str, str] = {}  # county/state ags -> official name
        self._county_of: dict[str, str] = {}  # territory id -> county ags
        for row in territories:
            label = row["id"].partition(":")[0]
            base, _ = split_kind(row["name"])
            candidate = Candidate(row["id"], row["name"], row.get("county_ags"))
            self._territories[base].append((candidate, label, row.get("kind")))
            if row.get("county_ags"):
                self._county_of[row["id"]] = row["county_ags"]
            if label in ("County", "State"):
                self._region_by_ags[row["county_ags"]] = row["name"]
                self._region_names[base].add(row["county_ags"])
                self._region_names[normalise(row["name"])].add(row["county_ags"])
        for row in organizations:
            self._organizations[normalise(row["name"])].append(Candidate(row["id"], row["name"]))

    def match(self, text: str) -> Match:
        found = self._candidates(text)
        qualified = _QUALIFIER.match(text)
        if not found and qualified:  # "Neustadt (Ostholstein)": the brackets name a region
            regions = self._regions(qualified.group("qualifier"))
            if regions:
                found = [c for c in self._candidates(qualified.group("name"))
                         if any((c.county_ags or "").startswith(ags) for ags in regions)]
        unique = list(dict.fromkeys(found))
        territories = [c for c in unique if not c.id.startswith("Organization:")]
        if len(territories) == 1 and all(c in territories or (c.id, territories[0].id) in self._administers
                                         for c in unique):
            unique = territories  # "Amt Büchen": the Amt and the administration that runs it are one adopter
        return Match(text, unique[0].id if len(unique) == 1 else None, unique)

    def regions_of(self, territory_id: str) -> list[str]:
        """The names of the county and the state a territory lies in: the qualifiers that tell places
        of one name apart ("Neustadt (Ostholstein)")."""
        ags = self._county_of.get(territory_id, "")
        own = territory_id.partition(":")[2]
        return [self._region_by_ags[key] for key in dict.fromkeys((ags[:5], ags[:2]))
                if key and key != own and key in self._region_by_ags]

    def similar(self, text: str, limit: int = 5) -> list[str]:
        """Official names that begin with the text ("Wentorf" -> "Wentorf bei Hamburg"): shown with an
        unmatched name so that whoever loads can fix the file; never used as a match."""
        base, _ = split_kind(text)
        if not base:
            return []
        found = sorted({c.name for key, entries in self._territories.items() if key.startswith(base + " ")
                        for c, _, _ in entries})
        return found[:limit]

    def _regions(self, qualifier: str) -> set[str]:
        base, _ = split_kind(qualifier)
        return self._region_names.get(base, set()) | self._region_names.get(normalise(qualifier), set())

    def _candidates(self, text: str) -> list[Candidate]:
        organizations = list(self._organizations.get(normalise(text), []))
        base, labels = split_kind(text)
        places = [(c, label, kind) for c, label, kind in self._territories.get(base, [])
                  if not labels or label in labels]
        if "Association" not in labels and any(label == "Municipality" for _, label, _ in places):
            # the one-member association of an amtsfreie Gemeinde carries its name: the municipality is meant
            places = [(c, label, kind) for c, label, kind in places if not (label == "Association" and kind == "50")]
        return organizations + [c for c, _, _ in places]
