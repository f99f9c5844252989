// Search view: one search box over solutions, organisations, municipalities and people,
// results grouped by type; "more" asks for a larger result list.
import { gql } from '../api.js';
import { empty, h, link } from '../dom.js';
import { withStatus } from '../feedback.js';
import { displayName, hrefFor, status, TYPE_PLURAL, typeName } from '../labels.js';
import { SEARCH } from '../queries.js';
import { hashFor } from '../router.js';

const GROUPS = ['Solution', 'Municipality', 'Organization', 'Actor'];
const PAGE = 20;
const MAX = 100;

export async function searchNodes(text, first = PAGE) {
  const data = await gql(SEARCH, { text, first });
  return data.search.map((hit) => hit.node);
}

function describe(node) {
  if (node.__typename === 'Actor' && node.visibility === 'RESTRICTED') return 'Rolle; Name nur für Berechtigte';
  if (node.__typename === 'Adoption') return `Übernahme, ${status(node.status)}`;
  return typeName(node.__typename);
}

function hitItem(node) {
  const target = node.__typename === 'Adoption' && node.solution ? node.solution.id : node.id;
  return h('li', { 'data-id': node.id, 'data-type': node.__typename },
    link(hrefFor(target), displayName(node)), h('span', { class: 'meta' }, ` – ${describe(node)}`));
}

export function groupedResults(nodes) {
  const groups = new Map([...GROUPS, 'other'].map((g) => [g, []]));
  for (const node of nodes) groups.get(GROUPS.includes(node.__typename) ? node.__typename : 'other').push(node);
  const sections = [...groups].filter(([, list]) => list.length).map(([group, list]) => {
    const id = `treffer-${group}`;
    return h('section', { class: 'result-group', 'aria-labelledby': id, 'data-group': group },
      h('h2', { id }, `${TYPE_PLURAL[group]} (${list.length})`), h('ul', { class: 'results' }, list.map(hitItem)));
  });
  return sections.length ? sections : [empty('Keine Treffer. Tipp: Umlaute dürfen als ae, oe, ue geschrieben werden.')];
}

export async function renderSearch(page, { params }) {
  const text = (params.get('q') || '').trim();
  let first = Number(params.get('n')) || PAGE;
  const input = h('input', { type: 'search', id: 'suchtext', name: 'q', value: text, required: true,
    autocomplete: 'off', placeholder: 'z. B. Hagenow, Mängelmelder, Kreisverwaltung' });
  const results = h('div', { class: 'search-results', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Mehr Treffer anzeigen');

  async function run(query, size) {
    const nodes = await withStatus('Suche läuft …', () => searchNodes(query, size), 'Die Suche ist fehlgeschlagen');
    if (!nodes) return;
    results.replaceChildren(h('p', { class: 'meta' }, `${nodes.length} Treffer für „${query}“`),
      ...groupedResults(nodes));
    more.hidden = nodes.length < size || size >= MAX;
  }

  const form = h('form', { role: 'search', class: 'search-form', onsubmit: (event) => {
    event.preventDefault();
    const query = input.value.trim();
    if (!query) return;
    first = PAGE;
    window.history.pushState(null, '', hashFor('suche', null, { q: query }));
    run(query, first);
  } },
  h('label', { for: 'suchtext' }, 'Suchbegriff'), input, h('button', { type: 'submit' }, 'Suchen'));
  more.addEventListener('click', () => {
    first = Math.min(MAX, first + PAGE);
    window.history.replaceState(null, '', hashFor('suche', null, { q: input.value.trim(), n: first }));
    run(input.value.trim(), first);
  });

  page.append(
    h('h1', {}, 'Wissensgraph kommunaler Innovation'),
    h('p', { class: 'lead' }, 'Suchen Sie nach Lösungen, Gemeinden, Organisationen und Personen. '
      + 'Von jeder Gemeinde aus sehen Sie ihre Übernahmen, von wem sie gelernt hat und passende Empfehlungen.'),
    form, results, more);
  if (text) await run(text, first);
}
