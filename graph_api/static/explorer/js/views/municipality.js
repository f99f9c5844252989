// Municipality page: place in the territorial tree, adoptions (cursor-paged) with their sources,
// whom it learned from, recommended solutions with reasons and the nearest adopters to call (by
// distance on the ground), and a map of the place with the nearest adopters. A place the graph
// knows nothing about says so and points to the nearest adopters instead of showing empty tables.
import { allNodes, gql } from '../api.js';
import { append, definitionList, empty, h, link, section } from '../dom.js';
import { showError, withStatus } from '../feedback.js';
import { displayName, formatDate, formatNumber, hrefFor, reason, status } from '../labels.js';
import { tableWithCsv } from '../export.js';
import { distanceKm, formatKm, locationOf, nearestAdopters } from '../geo.js';
import { drawMap, PRECISION } from '../map.js';
import { ILLUSTRATIVE_TITLE, illustrativeBadge, provenanceCell, provenanceSection } from '../provenance.js';
import { ACTIVE_ADOPTIONS, MUNICIPALITY, MUNICIPALITY_ADOPTIONS, RECOMMEND } from '../queries.js';
import { hashFor } from '../router.js';

const ADOPTION_PAGE = 20;
const RECOMMENDATIONS = 5;

export function territorialTree(m) {
  const steps = [];
  if (m.county.parent) steps.push([m.county.parent.id, m.county.parent.name, 'Land']);
  steps.push([m.county.id, m.county.name, m.county.kind || 'Kreis']);
  if (m.association && m.association.kind === 'Amt') steps.push([m.association.id, m.association.name, 'Amt']);
  return h('nav', { 'aria-label': 'Gebietsgliederung', class: 'breadcrumb' },
    h('ol', {}, steps.map(([id, name, kind]) => h('li', {}, h('span', { class: 'meta' }, `${kind}: `),
      link(hrefFor(id), name))), h('li', { 'aria-current': 'page' }, m.name)));
}

function adoptionRow(a) {
  const teachers = a.learnedFrom.map((t) => t.adopter);
  return h('tr', { 'data-adoption-id': a.id, 'data-solution-id': a.solution.id, 'data-status': a.status },
    h('th', { scope: 'row', 'data-csv': a.solution.name }, link(hrefFor(a.solution.id), a.solution.name), ' ',
      illustrativeBadge(a)),
    h('td', {}, h('span', { class: `badge status-${a.status.toLowerCase()}` }, status(a.status))),
    h('td', {}, formatDate(a.startedOn)),
    h('td', {}, formatDate(a.endedOn)),
    h('td', {}, teachers.length ? teachers.map((t, i) => [i ? ', ' : '', link(hrefFor(t.id), t.name)]) : '–'),
    h('td', {}, a.outcome || '–'),
    provenanceCell(a));
}

function adoptionsSection(id, onNone) {
  const body = h('tbody');
  const table = h('table', { class: 'data', id: 'uebernahmen' },
    h('caption', {}, 'Übernommene Lösungen mit Status und Daten'),
    h('thead', {}, h('tr', {}, ['Lösung', 'Status', 'Beginn', 'Ende', 'Gelernt von', 'Ergebnis', 'Herkunft der Angaben']
      .map((t) => h('th', { scope: 'col' }, t)))),
    body);
  const summary = h('p', { class: 'meta' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Weitere Übernahmen laden');
  const learned = h('ul', { class: 'learned', id: 'gelernt-von' });
  const teachers = new Map();
  let after = null;

  async function load() {
    more.disabled = true;
    const data = await withStatus('Übernahmen werden geladen …',
      () => gql(MUNICIPALITY_ADOPTIONS, { id, first: ADOPTION_PAGE, after }), 'Übernahmen nicht geladen');
    more.disabled = false;
    if (!data) return;
    const connection = data.node.adoptions;
    if (connection.totalCount === 0) {
      onNone(adoptions, learnedFrom);
      return;
    }
    for (const { node } of connection.edges) {
      body.append(adoptionRow(node));
      for (const t of node.learnedFrom) {
        const entry = teachers.get(t.adopter.id) || { adopter: t.adopter, solutions: [] };
        entry.solutions.push(node.solution);
        teachers.set(t.adopter.id, entry);
      }
    }
    summary.textContent = `${body.children.length} von ${connection.totalCount} Übernahmen angezeigt`;
    after = connection.pageInfo.endCursor;
    more.hidden = !connection.pageInfo.hasNextPage;
    learned.replaceChildren(...[...teachers.values()].map(({ adopter, solutions }) => h('li',
      { 'data-id': adopter.id }, link(hrefFor(adopter.id), adopter.name), ' – bei ',
      solutions.map((s, i) => [i ? ', ' : '', link(hrefFor(s.id), s.name)]))));
    if (!teachers.size) learned.replaceChildren(h('li', {}, 'In den geladenen Übernahmen ist keine Vorlage erfasst.'));
  }
  more.addEventListener('click', load);
  const adoptions = section('Übernahmen', summary, tableWithCsv(table, `uebernahmen-${id}`), more);
  const learnedFrom = section('Gelernt von', h('p', { class: 'meta' },
    'Gemeinden und Organisationen, deren Übernahme als Vorlage diente.'), learned);
  return { adoptions, learnedFrom, load };
}

// The API names the adopters nearest in the administrative tree; with coordinates on both sides
// they are ordered by distance on the ground and the kilometres are shown.
export function byDistance(home, adopters) {
  const measured = adopters.map((a) => {
    const where = locationOf(a);
    return { adopter: a, km: home.location && where ? distanceKm(home.location, where) : null };
  });
  return measured.sort((x, y) => (x.km == null) - (y.km == null) || (x.km || 0) - (y.km || 0));
}

function recommendationItem(home, r) {
  const nearest = byDistance(home, r.nearestAdopters);
  return h('li', { class: 'card', 'data-solution-id': r.solution.id },
    h('h3', {}, link(hrefFor(r.solution.id), r.solution.name)),
    h('p', { class: 'meta' }, `Punktzahl ${formatNumber(r.score)}`),
    h('ul', { class: 'reasons', 'aria-label': 'Gründe' }, r.reasons.map((t) => h('li', {}, reason(t)))),
    r.illustrativeAdopterCount ? h('p', { class: 'evidence', 'data-illustrative': r.illustrativeAdopterCount },
      h('span', { class: 'badge illustrative', title: ILLUSTRATIVE_TITLE }, 'illustrativ'),
      ` ${r.illustrativeAdopterCount} von ${r.adopterCount} gezählten Anwendern nur aus Beispieldaten belegt`) : null,
    nearest.length ? h('p', {}, h('strong', {}, 'Nächste Anwender zum Anrufen: '),
      nearest.map(({ adopter: a, km }, i) => [i ? ', ' : '', link(hrefFor(a.id), displayName(a), { 'data-id': a.id,
        'data-km': km == null ? '' : km.toFixed(1) }), km == null ? '' : ` (${formatKm(km)})`]))
      : null);
}

// Adopters nearest on the ground with what they run, and a map of them around the place.
async function nearbySection(m, holder, figure) {
  if (!m.location) {
    holder.replaceChildren(h('p', {}, 'Für diese Gemeinde sind keine Koordinaten bekannt; Entfernungen lassen sich '
      + 'nicht berechnen. Der ', link(hashFor('loesungen', null, { kreis: m.county.id }), 'Lösungskatalog für den Kreis'),
    ' zeigt, was in der Nähe läuft.'));
    figure.hidden = true;
    return;
  }
  const adoptions = await withStatus('Anwender in der Nähe werden gesucht …', () => allNodes(ACTIVE_ADOPTIONS,
    { first: 100 }, (d) => d.adoptions), 'Anwender in der Nähe nicht geladen');
  if (!adoptions) return;
  const near = nearestAdopters(m, adoptions);
  if (!near.length) {
    holder.replaceChildren(h('p', {}, 'Noch hat kein Anwender mit bekanntem Ort eine Lösung aktiv im Einsatz.'));
    figure.hidden = true;
    return;
  }
  holder.replaceChildren(h('ol', { id: 'naechste-anwender' }, near.map((n) => h('li', { 'data-id': n.adopter.id,
    'data-km': n.km.toFixed(1) }, link(hrefFor(n.adopter.id), n.adopter.name), ` – ${formatKm(n.km)} Luftlinie`,
  n.location.precision !== 'MUNICIPALITY' ? h('span', { class: 'meta' }, ` (gemessen zum ${
    n.location.precision === 'COUNTY_SEAT' ? 'Kreissitz' : 'Amtssitz'} ${n.location.placeName})`) : null,
  ': ', [...new Map(n.adoptions.map((a) => [a.solution.id, a])).values()].map((a, i) => [i ? ', ' : '',
    link(hrefFor(a.solution.id), a.solution.name), ' ', illustrativeBadge(a)])))));
  drawMap(figure, { title: `${m.name} und die nächsten Anwender`, filename: `karte-${m.name}`, points: [
    { id: m.id, label: m.name, lat: m.location.lat, lon: m.location.lon, precision: m.location.precision, kind: 'here',
      note: 'diese Gemeinde' },
    ...near.map((n) => ({ id: n.adopter.id, label: n.adopter.name, lat: n.location.lat, lon: n.location.lon,
      precision: n.location.precision, kind: 'adopter', note: formatKm(n.km) })),
  ] });
}

export async function renderMunicipality(page, { id }) {
  const data = await withStatus('Gemeinde wird geladen …', () => gql(MUNICIPALITY, { id }),
    'Die Gemeinde konnte nicht geladen werden');
  if (!data) return;
  const m = data.node;
  if (!m || !m.ags) {
    showError(new Error(`Keine Gemeinde mit der Kennung „${id}“ gefunden.`), 'Nicht gefunden');
    return;
  }
  document.title = `${m.name} – copgraph Explorer`;
  const admin = m.county.administrations[0];
  const nearby = h('div', { id: 'in-der-naehe' }, h('p', { class: 'meta' }, 'Wird berechnet …'));
  const mapFigure = h('figure', { class: 'map', id: 'gemeinde-karte' });
  const noAdoptions = (adoptionsPart, learnedPart) => {
    adoptionsPart.replaceChildren(adoptionsPart.querySelector('h2'),
      h('div', { class: 'empty-state', id: 'keine-uebernahmen' },
        h('p', {}, `Für ${m.name} ist noch keine Übernahme erfasst.`),
        h('p', {}, 'Das heißt nicht, dass hier nichts geschieht – nur, dass der Wissensgraph noch nichts davon weiß. '
          + 'Unten stehen die nächstgelegenen Anwender und passende Lösungen; der ',
        link(hashFor('loesungen', null, { kreis: m.county.id }), `Lösungskatalog für ${m.county.name}`),
        ' zeigt, was im Kreis schon läuft.')));
    learnedPart.remove();
  };
  const { adoptions, learnedFrom, load } = adoptionsSection(m.id, noAdoptions);
  const recommendations = h('ol', { class: 'cards', id: 'empfehlungen' });
  append(page, [
    territorialTree(m),
    h('h1', {}, m.name),
    definitionList([
      ['Gemeindeschlüssel (AGS)', m.ags],
      ['Einwohner', formatNumber(m.population)],
      ['Postleitzahl', m.postcode],
      ['Art', m.kind],
      ['Gemeindeverband', m.association ? `${m.association.name} (${m.association.kind})` : null],
      ['Lage', m.location ? `${m.location.lat.toFixed(4).replace('.', ',')}° N, ${
        m.location.lon.toFixed(4).replace('.', ',')}° O – ${PRECISION[m.location.precision]}${
        m.location.precision === 'MUNICIPALITY' ? '' : ` ${m.location.placeName}`} (GeoNames, CC BY 4.0)` : null],
      ['Verwaltung', m.organizations.length
        ? m.organizations.map((o, i) => [i ? ', ' : '', link(hrefFor(o.id), o.name)]) : null],
    ]),
    admin ? h('p', {}, link(hashFor('netzwerk', null, { von: admin.id, nach: m.id }),
      `Kontaktwege von der ${admin.name} zu ${m.name} zeigen`)) : null,
    adoptions, learnedFrom,
    section('Anwender in der Nähe', h('p', { class: 'meta' }, 'Wer Lösungen schon aktiv nutzt (Pilotphase, eingeführt, '
      + 'ausgeweitet), nach Entfernung auf der Karte.'), nearby, mapFigure),
    section('Empfohlene Lösungen', h('p', { class: 'meta' },
      'Bewährte Lösungen, die hier noch nicht eingeführt sind – mit Begründung und den nächstgelegenen Anwendern.'),
    recommendations),
    provenanceSection(m)]);
  const recommended = load().then(() => withStatus('Empfehlungen werden geladen …',
    () => gql(RECOMMEND, { id: m.id, first: RECOMMENDATIONS }), 'Empfehlungen nicht geladen'));
  const [result] = await Promise.all([recommended, nearbySection(m, nearby, mapFigure)]);
  if (!result) return;
  recommendations.append(...result.recommendSolutions.map((r) => recommendationItem(m, r)));
  if (!result.recommendSolutions.length) {
    recommendations.replaceWith(h('div', { class: 'empty-state' }, h('p', {}, 'Keine Empfehlung: jede erfasste '
      + 'Lösung ist hier schon im Einsatz oder deckt die Gemeinde über ihr Amt oder den Kreis ab.')));
  }
}
