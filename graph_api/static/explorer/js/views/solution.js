// Solution page: summary, needs, awards, adopters on a timeline (all pages of its adoptions)
// and the transfer lineage drawn as a graph of who learned from whom.
import { allNodes, gql } from '../api.js';
import { append, definitionList, empty, h, link, section } from '../dom.js';
import { showError, withStatus } from '../feedback.js';
import { displayName, formatDate, hrefFor, maturity, status } from '../labels.js';
import { drawGraph } from '../graph.js';
import { locationOf } from '../geo.js';
import { drawMap } from '../map.js';
import { illustrativeBadge, provenanceSection, sourceLinks } from '../provenance.js';
import { SOLUTION, SOLUTION_ADOPTIONS } from '../queries.js';
import { renderProfile } from './profile.js';

const PAGE = 50;

function timeline(adoptions) {
  const dated = [...adoptions].sort((a, b) => (a.startedOn || '9999').localeCompare(b.startedOn || '9999')
    || a.id.localeCompare(b.id));
  return h('ol', { class: 'timeline', id: 'zeitleiste' }, dated.map((a) => h('li',
    { 'data-adoption-id': a.id, 'data-status': a.status, class: `status-${a.status.toLowerCase()}` },
    h('time', { datetime: a.startedOn || '' }, a.startedOn ? formatDate(a.startedOn) : 'ohne Datum'),
    h('div', {}, link(hrefFor(a.adopter.id), a.adopter.name), ' ',
      h('span', { class: `badge status-${a.status.toLowerCase()}` }, status(a.status)),
      a.endedOn ? h('span', { class: 'meta' }, ` bis ${formatDate(a.endedOn)}`) : null, ' ', illustrativeBadge(a),
      a.outcome ? h('p', { class: 'meta' }, a.outcome) : null,
      h('p', { class: 'meta' }, sourceLinks(a))))));
}

export function lineageElements(lineage) {
  const ids = new Set(lineage.map((a) => a.id));
  const nodes = lineage.map((a) => ({
    id: a.adopter.id, adoption: a.id, type: a.adopter.__typename,
    label: `${a.adopter.name}${a.startedOn ? ` (${a.startedOn.slice(0, 4)})` : ''}`,
    classes: a.status === 'ABANDONED' ? 'abandoned' : '',
  }));
  const byAdoption = new Map(lineage.map((a) => [a.id, a.adopter.id]));
  const unique = [...new Map(nodes.map((n) => [n.id, n])).values()];
  const edges = lineage.flatMap((a) => a.learnedFrom.filter((t) => ids.has(t.id)).map((t) => ({
    source: byAdoption.get(t.id), target: a.adopter.id, label: 'Vorlage für', classes: 'directed' })));
  const roots = lineage.filter((a) => !a.learnedFrom.some((t) => ids.has(t.id))).map((a) => a.adopter.id);
  return { nodes: unique, edges, roots };
}

function lineageList(lineage) {
  const names = new Map(lineage.map((a) => [a.id, a.adopter]));
  const items = lineage.filter((a) => a.learnedFrom.length).map((a) => h('li', {},
    link(hrefFor(a.adopter.id), a.adopter.name), ' lernte von ',
    a.learnedFrom.map((t, i) => [i ? ', ' : '', names.has(t.id) ? link(hrefFor(names.get(t.id).id),
      names.get(t.id).name) : t.id])));
  return items.length ? h('ul', { id: 'lernwege' }, items) : empty('Keine Lernwege erfasst.');
}

export async function renderSolution(page, { id }) {
  const data = await withStatus('Lösung wird geladen …', () => gql(SOLUTION, { id }),
    'Die Lösung konnte nicht geladen werden');
  if (!data) return;
  const s = data.node;
  if (!s || !s.name) {
    showError(new Error(`Keine Lösung mit der Kennung „${id}“ gefunden.`), 'Nicht gefunden');
    return;
  }
  document.title = `${s.name} – copgraph Explorer`;
  const figure = h('figure', { class: 'graph', id: 'lineage-graph' });
  const timelineHolder = h('div', {});
  const mapFigure = h('figure', { class: 'map', id: 'loesung-karte' });
  const profile = h('div', { id: 'steckbrief-inhalt' });
  append(page, [
    h('p', { class: 'kicker' }, 'Lösung'),
    h('h1', {}, s.name),
    s.summary ? h('p', { class: 'lead' }, s.summary) : null,
    definitionList([
      ['Reifegrad', maturity(s.maturity)],
      ['Anwender (Pilot, eingeführt, ausgeweitet)', String(s.adopterCount)],
      ['Themen', s.categories.length ? s.categories.map((c) => c.label).join(', ') : null],
      ['Ursprung', s.originator ? link(hrefFor(s.originator.id), displayName(s.originator)) : null],
      ['Lizenz', s.licence],
      ['Webseite', s.url ? link(s.url, s.url, { rel: 'noopener' }) : null],
    ]),
    section('Steckbrief', profile),
    section('Bedarfe', s.needs.length ? h('ul', { id: 'bedarfe' }, s.needs.map((n) => h('li', {}, h('strong', {},
      n.label), n.definition ? ` – ${n.definition}` : ''))) : empty('Keine Bedarfe erfasst.')),
    section('Auszeichnungen', s.awards.length ? h('ul', { id: 'auszeichnungen' }, s.awards.map((a) => h('li', {},
      link(hrefFor(a.awardId), a.award), a.year ? ` ${a.year}` : '', a.round ? ` (Runde ${a.round})` : '')))
      : empty('Keine Auszeichnungen erfasst.')),
    section('Anwender im Zeitverlauf', timelineHolder),
    section('Anwender auf der Karte', mapFigure),
    section('Wissenstransfer: wer von wem lernte', figure, lineageList(data.transferLineage)),
    provenanceSection(s)]);
  await renderProfile(profile, id);
  const lineage = data.transferLineage;
  if (lineage.length) {
    drawGraph(figure, lineageElements(lineage), { title: `Lernwege der Lösung „${s.name}“ (Pfeil: Vorlage für)`,
      roots: lineageElements(lineage).roots });
  } else {
    figure.replaceWith(empty('Noch keine Übernahmen.'));
  }
  const adoptions = await withStatus('Anwender werden geladen …',
    () => allNodes(SOLUTION_ADOPTIONS, { id, first: PAGE }, (d) => d.node && d.node.adoptions),
    'Anwender nicht geladen');
  if (!adoptions) return;
  if (!adoptions.length) {
    timelineHolder.replaceChildren(h('div', { class: 'empty-state' }, h('p', {}, 'Noch hat niemand diese Lösung '
      + 'übernommen – jedenfalls weiß der Wissensgraph von keiner Übernahme.'), h('p', {}, 'Der ',
    link('#/loesungen', 'Lösungskatalog'), ' zeigt verwandte Lösungen mit Anwendern.')));
    mapFigure.replaceWith(empty('Ohne Anwender keine Karte.'));
    return;
  }
  timelineHolder.replaceChildren(timeline(adoptions));
  adopterMap(mapFigure, s, adoptions);
}

// Each adopter once, green while its adoption is active, grey otherwise (considering, planned, ended).
function adopterMap(figure, s, adoptions) {
  const active = new Set(['PILOT', 'ADOPTED', 'SCALED']);
  const byAdopter = new Map();
  for (const a of adoptions) {
    const entry = byAdopter.get(a.adopter.id) || { adopter: a.adopter, statuses: [] };
    entry.statuses.push(a.status);
    byAdopter.set(a.adopter.id, entry);
  }
  const points = [];
  const unplaced = [];
  for (const { adopter, statuses } of byAdopter.values()) {
    const where = locationOf(adopter);
    if (!where) { unplaced.push(adopter); continue; }
    points.push({ id: adopter.id, label: adopter.name, lat: where.lat, lon: where.lon, precision: where.precision,
      kind: statuses.some((x) => active.has(x)) ? 'adopter' : 'municipality',
      note: statuses.map((x) => status(x)).join(', ') });
  }
  drawMap(figure, { title: `Anwender der Lösung „${s.name}“; grün: aktiv`, points, filename: `karte-${s.name}`,
    legend: { adopter: 'aktiv (Pilot, eingeführt, ausgeweitet)', municipality: 'in Prüfung, geplant oder aufgegeben' } });
  if (unplaced.length) {
    figure.append(h('p', { class: 'meta' }, 'Ohne bekannten Ort: ', unplaced.map((x, i) => [i ? ', ' : '',
      link(hrefFor(x.id), x.name)])));
  }
}
