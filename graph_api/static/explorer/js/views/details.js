// Page for every other kind of node (organisations, people, projects, Ämter, states, adoptions,
// concepts, sources, awards): its facts and links to its neighbours.
import { gql } from '../api.js';
import { append, definitionList, empty, h, link, section } from '../dom.js';
import { showError, withStatus } from '../feedback.js';
import { displayName, formatDate, formatNumber, hrefFor, status, typeName } from '../labels.js';
import { provenanceSection } from '../provenance.js';
import { DETAILS } from '../queries.js';
import { hashFor } from '../router.js';

const ORG_KIND = {
  ADMINISTRATION: 'Verwaltung', DEPARTMENT: 'Fachbereich', PUBLIC_ENTERPRISE: 'öffentliches Unternehmen',
  ASSOCIATION: 'Verband', NETWORK: 'Netzwerk', RESEARCH: 'Forschung', CIVIL_SOCIETY: 'Zivilgesellschaft',
  COMPANY: 'Unternehmen', COUNCIL: 'Rat (gewählte Vertretung)', COMMITTEE: 'Gremium (Ausschuss, Beirat)',
};

const links = (nodes) => (nodes && nodes.length
  ? h('ul', {}, nodes.map((n) => h('li', { 'data-id': n.id }, link(hrefFor(n.id), displayName(n)),
    n.__typename ? h('span', { class: 'meta' }, ` (${typeName(n.__typename)})`) : null)))
  : empty('Keine Einträge.'));

const connectionList = (connection, title) => section(`${title} (${connection.totalCount})`,
  links(connection.edges.map((e) => e.node)),
  connection.totalCount > connection.edges.length
    ? h('p', { class: 'meta' }, `Die ersten ${connection.edges.length} werden gezeigt.`) : null);

const restricted = (actor) => (actor.visibility === 'RESTRICTED'
  ? h('p', { class: 'note' }, 'Der Name dieser Person ist geschützt; gezeigt wird ihre Rolle.') : null);

const PARTS = {
  Organization: (n) => [
    definitionList([['Art', ORG_KIND[n.orgKind] || n.orgKind], ['Kurzname', n.shortName], ['Rechtsform', n.legalForm],
      ['Übergeordnet', n.parent ? link(hrefFor(n.parent.id), n.parent.name) : null],
      ['Webseite', n.url ? link(n.url, n.url, { rel: 'noopener' }) : null]]),
    n.description ? h('p', {}, n.description) : null,
    section('Gebiete', links(n.territories)),
    n.owners.length ? section('Eigentümer', h('ul', {}, n.owners.map((o) => h('li', {},
      link(hrefFor(o.owner.id), displayName(o.owner)), o.share != null ? ` (${Math.round(o.share * 100)} %)` : ''))))
      : null,
    connectionList(n.people, 'Personen'),
    section(`Übernahmen (${n.adoptions.totalCount})`, n.adoptions.edges.length ? h('ul', {}, n.adoptions.edges.map(
      ({ node: a }) => h('li', {}, link(hrefFor(a.solution.id), a.solution.name), ` – ${status(a.status)}, `,
        formatDate(a.startedOn)))) : empty('Keine Übernahmen.')),
  ],
  Actor: (n) => [
    restricted(n),
    definitionList([['Rolle', n.roleLabel]]),
    section('Funktionen', n.roles.length ? h('ul', {}, n.roles.map((r) => h('li', {}, `${r.title}, `,
      link(hrefFor(r.organization.id), r.organization.name), r.since ? ` (seit ${formatDate(r.since)})` : '')))
      : empty('Keine Funktionen erfasst.')),
    connectionList(n.knows, 'Kennt'),
  ],
  Project: (n) => [
    definitionList([['Art', n.projectKind], ['Beginn', formatDate(n.startedOn)], ['Ende', formatDate(n.endedOn)],
      ['Webseite', n.url ? link(n.url, n.url, { rel: 'noopener' }) : null]]),
    n.description ? h('p', {}, n.description) : null,
    section('Beteiligte', links(n.participants)),
  ],
  Association: (n) => [
    definitionList([['Art', n.amtKind], ['Sitz', n.seat], ['Kreis', link(hrefFor(n.county.id), n.county.name)]]),
    connectionList({ ...n.municipalities, edges: n.municipalities.edges }, 'Gemeinden'),
  ],
  State: (n) => [section('Kreise', links(n.counties.edges.map((e) => ({ ...e.node, __typename: 'County' }))))],
  Adoption: (n) => [
    definitionList([['Lösung', link(hrefFor(n.solution.id), n.solution.name)],
      ['Anwender', n.adopter ? link(hrefFor(n.adopter.id), n.adopter.name) : null], ['Status', status(n.status)],
      ['Beginn', formatDate(n.startedOn)], ['Ende', formatDate(n.endedOn)], ['Ergebnis', n.outcome]]),
    section('Gelernt von', links(n.learnedFrom)),
    section('Vorlage für', links(n.learnedBy)),
    section('Ansprechpersonen', links(n.contacts)),
  ],
  Concept: (n) => [definitionList([['Schema', n.scheme], ['Definition', n.definition],
    ['Oberbegriff', n.broader ? link(hrefFor(n.broader.id), n.broader.label) : null]])],
  Source: (n) => [definitionList([['Art', n.sourceKind], ['Herausgeber', n.publisher],
    ['Veröffentlicht', formatDate(n.publishedOn)], ['Adresse', n.url ? link(n.url, n.url, { rel: 'noopener' }) : null],
    ['Illustrativ', n.illustrative ? 'ja (Beispieldaten)' : 'nein']])],
  Award: (n) => [n.description ? h('p', {}, n.description) : null,
    n.url ? h('p', {}, link(n.url, n.url, { rel: 'noopener' })) : null],
};

// Where a fact comes from: every page but a source's own names its sources and says when only
// illustrative sample data states it.
const provenance = (n) => (n.__typename === 'Source' ? null : provenanceSection(n));

export async function renderDetails(page, { id }) {
  const data = await withStatus('Wird geladen …', () => gql(DETAILS, { id }), 'Der Eintrag konnte nicht geladen werden');
  if (!data) return;
  const n = data.node;
  if (!n) {
    showError(new Error(`Kein Eintrag mit der Kennung „${id}“ gefunden.`), 'Nicht gefunden');
    return;
  }
  document.title = `${displayName(n)} – copgraph Explorer`;
  const parts = PARTS[n.__typename] ? PARTS[n.__typename](n) : [];
  const networkable = ['Organization', 'Actor', 'Project', 'Association'].includes(n.__typename);
  // dom.js's append skips absent parts; the native one would print them as the text "null"
  append(page, [h('p', { class: 'kicker' }, typeName(n.__typename)), h('h1', {}, displayName(n)), ...parts,
    provenance(n), networkable ? h('p', {}, link(hashFor('netzwerk', null, { von: n.id }), 'Kontaktwege von hier suchen')) : null]);
}
