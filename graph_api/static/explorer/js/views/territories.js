// Territory lists: states with their counties, and a county's page: its dashboard (views/dashboard.js)
// and its municipalities grouped by association, loaded page by page with cursors.
import { allNodes, gql } from '../api.js';
import { definitionList, empty, h, link, section } from '../dom.js';
import { showError, withStatus } from '../feedback.js';
import { formatNumber, hrefFor } from '../labels.js';
import { COUNTY, COUNTY_MUNICIPALITIES, STATES_WITH_COUNTIES } from '../queries.js';
import { countyMap, renderDashboard } from './dashboard.js';

const PAGE = 100;

export async function loadCounties() {
  const data = await gql(STATES_WITH_COUNTIES);
  return data.states.map((s) => ({
    id: s.id, name: s.name, counties: s.counties.edges.map((e) => e.node),
  }));
}

export async function renderTerritories(page) {
  document.title = 'Gemeinden – copgraph Explorer';
  page.append(h('h1', {}, 'Gemeinden nach Land und Kreis'),
    h('p', { class: 'lead' }, 'Wählen Sie einen Kreis, um seine Gemeinden nach Gemeindeverbänden '
      + '(Ämter, Verbandsgemeinden, Samtgemeinden …) gegliedert zu sehen.'));
  const states = await withStatus('Kreise werden geladen …', loadCounties, 'Die Kreise konnten nicht geladen werden');
  if (!states) return;
  page.append(...states.map((s) => section(s.name, h('ul', { class: 'columns' }, s.counties.map((c) => h('li', {},
    link(hrefFor(c.id), c.name), h('span', { class: 'meta' }, ` (${c.kind})`)))))));
  if (!states.length) page.append(empty('Es sind noch keine Gebiete geladen.'));
}

// GV100AD kind 50: the municipality's association is its own record, not a group.
const FREE_KIND = 'verbandsfreie Gemeinde';

// The name of a group as a reader expects it: "Amt Hagenow-Land", "Verbandsgemeinde Trier-Land".
export const groupTitle = (g) => (g.kind && !g.name.startsWith(g.kind) ? `${g.kind} ${g.name}` : g.name);

// Groups by association of every GV100AD kind (Amt, Verbandsgemeinde, Samtgemeinde,
// Verwaltungsgemeinschaft, ...); verbandsfreie municipalities are gathered in one group at the end.
export function groupByAmt(municipalities) {
  const groups = new Map();
  const free = { id: 'frei', name: 'Verbandsfreie Gemeinden', kind: '', members: [] };
  for (const m of municipalities) {
    const a = m.association;
    if (!a || !a.kind || a.kind === FREE_KIND) {
      free.members.push(m);
      continue;
    }
    if (!groups.has(a.id)) groups.set(a.id, { ...a, members: [] });
    groups.get(a.id).members.push(m);
  }
  const ordered = [...groups.values()].sort((x, y) => x.name.localeCompare(y.name, 'de'));
  if (free.members.length) ordered.push(free);
  for (const g of ordered) g.members.sort((x, y) => x.name.localeCompare(y.name, 'de'));
  return ordered;
}

export async function renderCounty(page, { id, params }) {
  const data = await withStatus('Kreis wird geladen …', () => gql(COUNTY, { id }), 'Der Kreis konnte nicht geladen werden');
  if (!data) return;
  const c = data.node;
  if (!c || !c.ags) {
    showError(new Error(`Kein Kreis mit der Kennung „${id}“ gefunden.`), 'Nicht gefunden');
    return;
  }
  document.title = `${c.name} – copgraph Explorer`;
  const list = h('div', { id: 'gemeindeliste' });
  const dashboard = h('div', { class: 'dashboard' });
  const mapFigure = h('figure', { class: 'map', id: 'kreis-karte' }, h('p', { class: 'meta' }, 'Wird geladen …'));
  page.append(
    h('nav', { 'aria-label': 'Gebietsgliederung', class: 'breadcrumb' }, h('ol', {},
      c.parent ? h('li', {}, h('span', { class: 'meta' }, 'Land: '), link(hrefFor(c.parent.id), c.parent.name)) : null,
      h('li', { 'aria-current': 'page' }, c.name))),
    h('h1', {}, `${c.kind || 'Kreis'} ${c.name}`),
    definitionList([
      ['Kreisschlüssel', c.ags], ['Einwohner', formatNumber(c.population)], ['Sitz', c.seat],
      ['Verwaltung', c.administrations.length
        ? c.administrations.map((o, i) => [i ? ', ' : '', link(hrefFor(o.id), o.name)]) : null],
    ]),
    dashboard,
    section('Karte', mapFigure),
    section('Gemeinden nach Gemeindeverband', list));
  const [municipalities, adoptions] = await Promise.all([withStatus('Gemeinden werden geladen …',
    () => allNodes(COUNTY_MUNICIPALITIES, { county: c.id, first: PAGE }, (d) => d.municipalities),
    'Die Gemeinden konnten nicht geladen werden'), renderDashboard(dashboard, c, params)]);
  if (!municipalities) return;
  if (municipalities.length) countyMap(mapFigure, c, municipalities, adoptions || []);
  else mapFigure.replaceWith(empty('Keine Gemeinden geladen, daher keine Karte.'));
  const groups = groupByAmt(municipalities);
  list.replaceChildren(h('p', { class: 'meta' }, `${municipalities.length} Gemeinden in ${groups.length} Gruppen`),
    ...groups.map((g) => h('details', { class: 'amt', 'data-association': g.id, open: groups.length <= 3 },
      h('summary', {}, groupTitle(g), h('span', { class: 'meta' },
        ` – ${g.members.length} Gemeinde${g.members.length === 1 ? '' : 'n'}`)),
      g.id !== 'frei' ? h('p', {}, link(hrefFor(g.id), `${groupTitle(g)} öffnen`)) : null,
      h('ul', { class: 'columns' }, g.members.map((m) => h('li', { 'data-id': m.id }, link(hrefFor(m.id), m.name),
        h('span', { class: 'meta' }, ` (${formatNumber(m.population)} Einw.)`)))))));
  if (!municipalities.length) list.replaceChildren(empty('Keine Gemeinden geladen.'));
}
