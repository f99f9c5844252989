// Every GraphQL document the Explorer sends: fixed texts, all inputs travel as variables.

const NODE_REF = `
fragment NodeRef on Node {
  __typename id
  ... on Territory { name }
  ... on Organization { name }
  ... on Actor { name roleLabel visibility }
  ... on Solution { name }
  ... on Project { name }
  ... on Concept { label }
  ... on Award { name }
  ... on Source { title }
  ... on Adoption {
    status startedOn
    solution { id name }
    adopter { __typename ... on Territory { id name } ... on Organization { id name } }
  }
}`;

const ADOPTER = `adopter { __typename ... on Territory { id name } ... on Organization { id name } }`;

// An adopter with where it lies (an organisation: where the territories it serves lie).
const ADOPTER_PLACE = `
fragment AdopterPlace on Adopter {
  __typename
  ... on Territory { id name }
  ... on Organization { id name territories { ...TerritoryPlace } }
  ...TerritoryPlace
}
fragment TerritoryPlace on Territory {
  ... on Municipality { location { lat lon precision placeName } }
  ... on Association { location { lat lon precision placeName } }
  ... on County { location { lat lon precision placeName } }
}`;

export const SEARCH = `
query Search($text: String!, $first: Int!) {
  search(text: $text, first: $first) { score node { ...NodeRef } }
}
${NODE_REF}`;

export const NODE = `
query Node($id: ID!) { node(id: $id) { ...NodeRef } }
${NODE_REF}`;

export const MUNICIPALITY = `
query Municipality($id: ID!) {
  node(id: $id) {
    ... on Municipality {
      id name ags ars population postcode kind areaHectares illustrative
      sourceRecords { id title illustrative }
      location { lat lon precision placeName }
      association { id name kind }
      county { id name kind administrations { id name } parent { id name } }
      organizations { id name kind }
    }
  }
}`;

export const MUNICIPALITY_ADOPTIONS = `
query MunicipalityAdoptions($id: ID!, $first: Int!, $after: String) {
  node(id: $id) {
    ... on Municipality {
      adoptions(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node {
          id status startedOn endedOn outcome illustrative
          sourceRecords { id title }
          solution { id name }
          learnedFrom { id startedOn ${ADOPTER} }
        } }
      }
    }
  }
}`;

export const RECOMMEND = `
query Recommend($id: ID!, $first: Int!) {
  recommendSolutions(municipality: $id, first: $first) {
    score reasons adopterCount illustrativeAdopterCount
    solution { id name maturity }
    nearestAdopters { ...AdopterPlace }
  }
}
${ADOPTER_PLACE}`;

// Every active adoption with where its adopter lies: the nearest adopters by distance.
export const ACTIVE_ADOPTIONS = `
query ActiveAdoptions($first: Int!, $after: String) {
  adoptions(filter: { status: [PILOT, ADOPTED, SCALED] }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id status illustrative solution { id name } adopter { ...AdopterPlace } } }
  }
}
${ADOPTER_PLACE}`;

export const SOLUTION = `
query Solution($id: ID!) {
  node(id: $id) {
    ... on Solution {
      id name summary maturity url licence adopterCount illustrative
      sourceRecords { id title illustrative }
      categories { id label }
      needs { id label definition }
      awards { award year round awardId }
      originator { ...NodeRef }
    }
  }
  transferLineage(solution: $id) {
    id status startedOn endedOn
    ${ADOPTER}
    learnedFrom { id }
  }
}
${NODE_REF}`;

export const SOLUTION_ADOPTIONS = `
query SolutionAdoptions($id: ID!, $first: Int!, $after: String) {
  node(id: $id) {
    ... on Solution {
      adoptions(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node {
          id status startedOn endedOn outcome illustrative
          sourceRecords { id title }
          adopter { ...AdopterPlace }
        } }
      }
    }
  }
}
${ADOPTER_PLACE}`;

export const CONTACT_PATHS = `
query ContactPaths($from: ID!, $to: ID!, $maxHops: Int!, $first: Int!) {
  contactPaths(from: $from, to: $to, maxHops: $maxHops, first: $first) {
    hops
    steps { via node { ...NodeRef } }
  }
}
${NODE_REF}`;

export const COUNTY_NETWORK = `
query CountyNetwork($county: ID!, $first: Int!) {
  countyMunicipalBridges(county: $county, first: $first) {
    score
    node { ...NodeRef }
    municipalities { id name }
  }
  countyReach(county: $county) {
    maxHops municipalityCount reachedCount
    unreached { reason explanation municipality { id name } }
  }
  keyPersonRisks(county: $county) {
    risks {
      hops
      municipality { id name }
      person { id name roleLabel visibility }
    }
  }
}
${NODE_REF}`;

export const STATES_WITH_COUNTIES = `
query StatesWithCounties {
  states { ...StateCounties }
}
fragment StateCounties on State {
  id name
  counties(first: 100) { edges { node { id name kind } } }
}`;

export const COUNTY = `
query County($id: ID!) {
  node(id: $id) {
    ... on County {
      id name kind ags population seat
      parent { id name }
      administrations { id name }
    }
  }
}`;

export const COUNTY_MUNICIPALITIES = `
query CountyMunicipalities($county: ID!, $first: Int!, $after: String) {
  municipalities(filter: { county: $county }, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name ags population association { id name kind } location { lat lon precision placeName } } }
  }
}`;

export const DETAILS = `
query Details($id: ID!) {
  node(id: $id) {
    ...NodeRef
    illustrative
    sourceRecords { id title illustrative }
    ... on Organization {
      orgKind: kind shortName legalForm description url
      parent { id name }
      territories { __typename id name }
      owners { share owner { ...NodeRef } }
      people(first: 50) { totalCount edges { node { id name roleLabel visibility } } }
      adoptions(first: 50) { totalCount edges { node { id status startedOn solution { id name } } } }
    }
    ... on Actor {
      roles { title since until organization { id name } }
      knows(first: 50) { totalCount edges { node { id name roleLabel visibility } } }
    }
    ... on Project {
      projectKind: kind description startedOn endedOn url
      participants { ...NodeRef }
    }
    ... on Association {
      amtKind: kind seat county { id name }
      municipalities(first: 100) { totalCount edges { node { id name population } } }
    }
    ... on State { counties(first: 100) { edges { node { id name kind } } } }
    ... on Adoption { endedOn outcome learnedFrom { ...NodeRef } learnedBy { ...NodeRef } contacts { id name roleLabel } }
    ... on Concept { scheme definition broader { id label } }
    ... on Source { sourceKind: kind url publisher publishedOn illustrative }
    ... on Award { description url }
  }
}
${NODE_REF}`;

// The solution catalogue: every solution and every adoption (paged), filtered and counted in the
// browser so each filter shows how many solutions each choice leaves.
export const CATALOGUE_SOLUTIONS = `
query CatalogueSolutions($first: Int!, $after: String) {
  solutions(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id name summary maturity illustrative
      sourceRecords { id title }
      categories { id label }
      needs { id label }
      awards { award year awardId }
    } }
  }
}`;

export const CATALOGUE_ADOPTIONS = `
query CatalogueAdoptions($first: Int!, $after: String, $filter: AdoptionFilter) {
  adoptions(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id status startedOn endedOn illustrative
      sourceRecords { id title }
      solution { id name }
      adopter {
        __typename
        ... on Territory { id name ars }
        ... on Organization { id name territories { ars } }
      }
    } }
  }
}`;

// County dashboard: the adoptions inside a county, coverage per topic, the gaps of one topic.
export const COUNTY_ADOPTIONS = `
query CountyAdoptions($county: ID!, $first: Int!, $after: String) {
  adoptions(filter: { within: $county }, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id status startedOn endedOn illustrative
      sourceRecords { id title }
      solution { id name categories { id label } }
      adopter { __typename ... on Territory { id name } ... on Organization { id name } }
    } }
  }
}`;

export const COVERAGE = `
query Coverage($county: ID!, $category: ID!) {
  coverage(county: $county, category: $category) { covered municipality { id } }
  coverageGaps(county: $county, category: $category, first: 1) { totalCount }
}`;

export const COVERAGE_GAPS = `
query CoverageGaps($county: ID!, $category: ID!, $first: Int!, $after: String) {
  coverageGaps(county: $county, category: $category, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name population association { id name kind } } }
  }
}`;

// The contact neighbours of one node, for a graph node that expands in place.
export const NEIGHBOURS = `
query Neighbours($id: ID!) {
  node(id: $id) {
    ...NodeRef
    ... on Actor {
      knows(first: 25) { edges { node { ...NodeRef } } }
      roles { organization { ...NodeRef } }
    }
    ... on Organization {
      people(first: 25) { edges { node { ...NodeRef } } }
      parent { ...NodeRef }
      territories { ...NodeRef }
    }
    ... on Project { participants { ...NodeRef } }
    ... on Municipality { organizations { ...NodeRef } association { ...NodeRef } }
    ... on Association { municipalities(first: 25) { edges { node { ...NodeRef } } } }
  }
}
${NODE_REF}`;

export const SOLUTION_PROFILE = `
query SolutionProfile($id: ID!) {
  node(id: $id) {
    ... on Solution {
      id lifecyclePhase developmentStatus softwareType repositoryUrl maintenanceType maintainedUntil
      lessonsLearned effortNote
      costOneOffEur { min max } costRunningEurPerYear { min max }
      maintainers { organization { id name } until }
      fundedBy { ...NodeRef }
      derivedFrom { id name } derivatives { id name }
      implementsServices { id label }
      evidence { id measure result measuredOn illustrative sourceRecords { id title } }
      transferReadiness { adopterCount usedInTwoOrMoreAdministrations }
    }
  }
}
${NODE_REF}`;

export const OPEN_NEEDS = `
query OpenNeeds($county: ID!, $status: [NeedStatus!]) {
  county: node(id: $county) { ... on County { id name } }
  openNeeds(county: $county, first: 3, status: $status) {
    need {
      id status recordedOn description illustrative sourceRecords { id title }
      concerns { id label }
      recordedBy { ...NodeRef }
    }
    neededBy { ...NodeRef }
    bestMatches { solution { id name } score reasons }
  }
}
${NODE_REF}`;
