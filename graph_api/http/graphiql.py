"""GraphiQL opened on example queries for the mission questions instead of Strawberry's welcome text."""

from __future__ import annotations

import re

from fastapi.responses import HTMLResponse

EXAMPLES = """# copgraph – example queries for the mission questions. Pick one with the ▶ button.
# Restricted actors show their role label; send `Authorization: Bearer <token>` (Headers tab) for names.

# Who adopted which practice, where, when, learned from whom, with what outcome?
query AdoptersOfTheDigitalAgenda {
  solution: node(id: "Solution:digitale-lokale-agenda") {
    ... on Solution {
      name adopterCount
      adoptions(first: 20) { totalCount edges { node {
        status startedOn outcome
        adopter { __typename ... on Municipality { name ags } ... on Organization { name } }
        learnedFrom { id adopter { ... on Municipality { name } ... on Organization { name } } }
      } } }
    }
  }
}

# Where do county and municipal contacts connect?
query CountyToHagenow {
  contactPaths(from: "Organization:kreisverwaltung-ludwigslust-parchim", to: "Municipality:13076060", maxHops: 4) {
    hops
    steps { via node { id __typename ... on Actor { name } ... on Organization { name } ... on Municipality { name } } }
  }
}

query BridgesInLudwigslustParchim {
  countyMunicipalBridges(county: "County:13076", first: 10) {
    reachedCount municipalityCount unreached { reason explanation municipality { name } }
    bridges { score node { id ... on Actor { name } ... on Organization { name } } municipalities { name } }
  }
}

# Which proven solutions fit a municipality's need?
query RecommendForRatzeburg {
  recommendSolutions(municipality: "Municipality:01053100", first: 5) {
    score reasons solution { name } nearestAdopters { ... on Municipality { name } ... on Organization { name } }
  }
}

# Where does knowledge depend on a single person?
query KeyPersonRisks {
  keyPersonRisks(county: "County:13076") { risks { hops municipality { name } person { name } } }
}

# A county's municipalities, page by page (pass pageInfo.endCursor as `after`)
query MunicipalitiesOfLauenburg {
  territory(key: "01053") {
    ... on County { name municipalities(first: 50) { totalCount pageInfo { hasNextPage endCursor }
      edges { node { name ags population } } } }
  }
}

query Search { search(text: "Buergerservice") { score node { id __typename } } }
"""

_EXAMPLE = re.compile(r"const EXAMPLE_QUERY = `.*?`;", re.DOTALL)


def render(html: str) -> HTMLResponse:
    escaped = EXAMPLES.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    return HTMLResponse(_EXAMPLE.sub(lambda _: f"const EXAMPLE_QUERY = `{escaped}`;", html, count=1))
