// Municipality page: place in the territorial tree, adoptions (cursor-paged), whom it learned
// from, and recommended solutions with reasons and the nearest adopters to call.
import { gql } from '../api.js';
import { append, definitionList, empty, h, link, section } from '../dom.js';
import { showError, withStatus } from '../feedback.js';
import { displayName, formatDate, formatNumber, hrefFor, reason, status } from '../labels.js';
import { MUNICIPALITY, MUNICIPALITY_ADOPTIONS, RECOMMEND } from '../queries.js';
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
    h('th', { scope: 'row' }, link(hrefFor(a.solution.id), a.solution.name)),
    h('td', {}, h('span', { class: `badge status-${a.status.toLowerCase()}` }, status(a.status))),
    h('td', {}, formatDate(a.startedOn)),
    h('td', {}, formatDate(a.endedOn)),
    h('td', {}, teachers.length ? teachers.map((t, i) => [i ? ', ' : '', link(hrefFor(t.id), t.name)]) : '–'),
    h('td', {}, a.outcome || '–'));
}

function adoptionsSection(id) {
  const body = h('tbody');
  const table = h('table', { class: 'data', id: 'uebernahmen' },
    h('caption', {}, 'Übernommene Lösungen mit Status und Daten'),
    h('thead', {}, h('tr', {}, ['Lösung', 'Status', 'Beginn', 'Ende', 'Gelernt von', 'Ergebnis']
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
  const adoptions = section('Übernahmen', summary, h('div', { class: 'table-wrap' }, table), more);
  const learnedFrom = section('Gelernt von', h('p', { class: 'meta' },
    'Gemeinden und Organisationen, deren Übernahme als Vorlage diente.'), learned);
  return { adoptions, learnedFrom, load };
}

function recommendationItem(r) {
  return h('li', { class: 'card', 'data-solution-id': r.solution.id },
    h('h3', {}, link(hrefFor(r.solution.id), r.solution.name)),
    h('p', { class: 'meta' }, `Punktzahl ${formatNumber(r.score)}`),
    h('ul', { class: 'reasons', 'aria-label': 'Gründe' }, r.reasons.map((t) => h('li', {}, reason(t)))),
    r.nearestAdopters.length ? h('p', {}, h('strong', {}, 'Nächste Anwender zum Anrufen: '),
      r.nearestAdopters.map((a, i) => [i ? ', ' : '', link(hrefFor(a.id), displayName(a), { 'data-id': a.id })]))
      : null);
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
  const { adoptions, learnedFrom, load } = adoptionsSection(m.id);
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
      ['Verwaltung', m.organizations.length
        ? m.organizations.map((o, i) => [i ? ', ' : '', link(hrefFor(o.id), o.name)]) : null],
    ]),
    admin ? h('p', {}, link(hashFor('netzwerk', null, { von: admin.id, nach: m.id }),
      `Kontaktwege von der ${admin.name} zu ${m.name} zeigen`)) : null,
    adoptions, learnedFrom,
    section('Empfohlene Lösungen', h('p', { class: 'meta' },
      'Bewährte Lösungen, die hier noch nicht eingeführt sind – mit Begründung und den nächstgelegenen Anwendern.'),
    recommendations)]);
  const recommended = load().then(() => withStatus('Empfehlungen werden geladen …',
    () => gql(RECOMMEND, { id: m.id, first: RECOMMENDATIONS }), 'Empfehlungen nicht geladen'));
  const result = await recommended;
  if (!result) return;
  recommendations.append(...result.recommendSolutions.map(recommendationItem));
  if (!result.recommendSolutions.length) recommendations.replaceWith(empty('Keine Empfehlungen.'));
}
