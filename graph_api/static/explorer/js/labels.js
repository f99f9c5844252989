// German wording for the API's enums, type names, relationship types and recommendation reasons,
// plus where each kind of node opens (its page in the hash router).

export const STATUS = {
  CONSIDERING: 'in Prüfung',
  PLANNED: 'geplant',
  PILOT: 'Pilotphase',
  ADOPTED: 'eingeführt',
  SCALED: 'ausgeweitet',
  ABANDONED: 'aufgegeben',
};

export const TYPE = {
  Municipality: 'Gemeinde',
  Organization: 'Organisation',
  Actor: 'Person',
  Solution: 'Lösung',
  County: 'Kreis',
  Association: 'Amt / Gemeindeverband',
  State: 'Land',
  Project: 'Projekt',
  Adoption: 'Übernahme',
  Source: 'Quelle',
  Concept: 'Begriff',
  Award: 'Auszeichnung',
  Evidence: 'Wirkungsnachweis',
  ContactPoint: 'Kontaktweg',
  Need: 'Bedarf',
};

export const TYPE_PLURAL = {
  Solution: 'Lösungen',
  Organization: 'Organisationen',
  Municipality: 'Gemeinden',
  Actor: 'Personen',
  other: 'Weitere Treffer',
};

// Contacts have no direction (docs/mission.md), so a path step is named by a noun that reads the
// same both ways: "Hagenow – Projektbeteiligung – Projekt", never "Projekt → beteiligt an → Hagenow".
export const VIA = {
  KNOWS: 'Bekanntschaft',
  WORKS_FOR: 'Arbeitsverhältnis',
  SUB_ORGANIZATION_OF: 'Abteilung',
  MEMBER_OF: 'Mitgliedschaft',
  ADMINISTERS: 'Verwaltung',
  OWNED_BY: 'Eigentum',
  PARTICIPATES_IN: 'Projektbeteiligung',
  SERVES: 'Betreuung',
  PART_OF: 'Gebietszugehörigkeit',
};

// One edge set for every contact question (docs/mission.md): contact paths, bridges, reach and
// key-person risks all walk these relationships, in either direction.
export const CONTACT_EDGES_NOTE = 'Kontaktpfade, Brücken, Erreichbarkeit und Schlüsselpersonen beruhen auf '
  + 'denselben Kontaktbeziehungen, in beide Richtungen: kennt, arbeitet für, gehört zu (Abteilung), Mitglied von, '
  + 'verwaltet, im Besitz von, beteiligt an (Projekt) und die Zugehörigkeit einer Gemeinde zu ihrem Amt oder '
  + 'Gemeindeverband.';

const MATURITY = { idea: 'Idee', pilot: 'Pilot', proven: 'bewährt', scaled: 'verbreitet' };

export const maturity = (value) => (value ? MATURITY[value] || value : '–');
export const status = (value) => STATUS[value] || value;
export const typeName = (typename) => TYPE[typename] || typename;
export const via = (value) => (value ? VIA[value] || value : '');

const adopters = (n) => `${n} ${n === '1' ? 'Anwender' : 'Anwendern'}`;
// A reason names the nearest few adopters and counts the rest ("A, B and 1806 more").
const names = (text) => text.replace(/ and (\d+) more$/, ' und $1 weitere');
const REASONS = [
  [/^in use by (\d+) adopters? in the same association \((.+?)\): (.+)$/s,
    (n, amt, list) => `im Einsatz bei ${adopters(n)} im selben Amt bzw. Gemeindeverband (${amt}): ${names(list)}`],
  [/^in use by (\d+) adopters? elsewhere in the same county: (.+)$/s,
    (n, list) => `im Einsatz bei ${adopters(n)} anderswo im selben Kreis: ${names(list)}`],
  [/^in use by (\d+) adopters? elsewhere in the same state: (.+)$/s,
    (n, list) => `im Einsatz bei ${adopters(n)} anderswo im selben Land: ${names(list)}`],
  [/^in use by (\d+) adopters? in other states: (.+)$/s,
    (n, list) => `im Einsatz bei ${adopters(n)} in anderen Ländern: ${names(list)}`],
  [/^in use by (\d+) municipalit(?:y|ies) of similar size: (.+)$/s,
    (n, list) => `im Einsatz bei ${n} ${n === '1' ? 'Gemeinde' : 'Gemeinden'} ähnlicher Größe: ${names(list)}`],
  [/^awarded the seal '(.+)'(?: \((\d{4})\))?$/s,
    (seal, year) => `ausgezeichnet mit dem Siegel „${seal}“${year ? ` (${year})` : ''}`],
  [/^received the award '(.+)'(?: \((\d{4})\))?$/s,
    (award, year) => `ausgezeichnet mit „${award}“${year ? ` (${year})` : ''}`],
  [/^addresses the stated need '(.+)' \((.+)\)$/s, (need) => `passt zum genannten Bedarf „${need}“`],
  [/^addresses the recorded need '(.+)' \((.+?), recorded (.+)\)$/s, (need, id, on) => `passt zum erfassten Bedarf „${
    need}“ (${on === 'undated' ? 'ohne Datum' : `erfasst ${formatDate(on)}`})`],
  [/^maturity: (.+)$/, (m) => `Reifegrad: ${maturity(m)}`],
  [/^no active adopter yet$/, () => 'noch kein aktiver Anwender'],
  // the matches of a need held by an Amt, a county or an organisation (graph_api/mission/needs_log.py)
  [/^addresses '(.+)'$/s, (concept) => `passt zu „${concept}“`],
  [/^in use by (\d+) adopters?$/, (n) => `im Einsatz bei ${adopters(n)}`],
];

// The API words its reasons in English (graph_api/mission/recommend.py); unknown ones are shown as they come.
export function reason(text) {
  for (const [pattern, render] of REASONS) {
    const match = pattern.exec(text);
    if (match) return render(...match.slice(1));
  }
  return text;
}

export function displayName(node) {
  if (!node) return '–';
  if (node.__typename === 'Adoption') {
    const who = node.adopter ? node.adopter.name : '?';
    return `${who}: ${node.solution ? node.solution.name : 'Lösung'}`;
  }
  return node.name || node.label || node.title || node.id;
}

const ROUTE = { Municipality: 'gemeinde', Solution: 'loesung', County: 'kreis' };
const ROUTE_LABEL = Object.fromEntries(Object.entries(ROUTE).map(([label, route]) => [route, label]));

// `#/gemeinde/13076060`: a bare official key (as people type or paste it) names the node of the
// route's own kind; anything with a label prefix is taken as it is.
export function idForRoute(route, id) {
  const label = ROUTE_LABEL[route];
  return label && id && /^\d+$/.test(id) ? `${label}:${id}` : id;
}

export function hrefFor(id) {
  const label = String(id).split(':')[0];
  return `#/${ROUTE[label] || 'knoten'}/${encodeURIComponent(id)}`;
}

export const formatDate = (iso) => {
  if (!iso) return '–';
  const [y, m, d] = iso.split('-');
  return d ? `${d}.${m}.${y}` : iso;
};

export const formatNumber = (n) => (n == null ? '–' : new Intl.NumberFormat('de-DE').format(n));
