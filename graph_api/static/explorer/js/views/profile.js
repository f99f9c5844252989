// The solution profile ("Steckbrief") and the needs log of a county (the Lösungslotse's view):
// what a solution is, costs and needs to keep going, with evidence of impact and its sources; and
// which needs of a county are open, with the best matches and why they match.
import { gql } from '../api.js';
import { append, definitionList, empty, h, link, section } from '../dom.js';
import { showError, withStatus } from '../feedback.js';
import { displayName, formatDate, formatNumber, hrefFor, reason } from '../labels.js';
import { illustrativeBadge, sourceLinks } from '../provenance.js';
import { OPEN_NEEDS, SOLUTION_PROFILE } from '../queries.js';

const PHASE = {
  IDENTIFYING_PROBLEMS: 'Probleme erkennen', GENERATING_IDEAS: 'Ideen entwickeln',
  DEVELOPING_PROPOSALS: 'Vorschläge ausarbeiten', IMPLEMENTING: 'Umsetzen', EVALUATING: 'Auswerten',
  DIFFUSING_LESSONS: 'Erfahrungen weitergeben',
};
const DEV_STATUS = { CONCEPT: 'Konzept', DEVELOPMENT: 'in Entwicklung', BETA: 'Beta', STABLE: 'stabil',
  OBSOLETE: 'veraltet' };
const MAINTENANCE = { INTERNAL: 'intern', CONTRACT: 'per Vertrag', COMMUNITY: 'Community', NONE: 'keine' };
const NEED_STATUS = { OPEN: 'offen', MATCHED: 'Lösung vorgeschlagen', SOLVED: 'gelöst' };

const euros = (range) => {
  if (!range) return null;
  const { min, max } = range;
  if (min != null && max != null) return min === max ? `${formatNumber(min)} €` : `${formatNumber(min)}–${formatNumber(max)} €`;
  return min != null ? `ab ${formatNumber(min)} €` : `bis ${formatNumber(max)} €`;
};
const links = (nodes) => (nodes.length ? nodes.map((n, i) => [i ? ', ' : '', link(hrefFor(n.id), displayName(n))])
  : null);

function evidenceList(evidence) {
  if (!evidence.length) return empty('Kein Wirkungsnachweis erfasst.');
  return h('ul', { id: 'wirkungsnachweise' }, evidence.map((e) => h('li', { 'data-id': e.id },
    h('strong', {}, e.measure), ': ', e.result, e.measuredOn ? ` (${formatDate(e.measuredOn)})` : '', ' ',
    illustrativeBadge(e), h('span', { class: 'meta' }, ' ', sourceLinks(e)))));
}

// Fills `holder` with the profile of solution `id`; nothing stated leaves a short note, never empty rows.
export async function renderProfile(holder, id) {
  const data = await withStatus('Steckbrief wird geladen …', () => gql(SOLUTION_PROFILE, { id }),
    'Der Steckbrief konnte nicht geladen werden');
  if (!data || !data.node) return;
  const s = data.node;
  const r = s.transferReadiness;
  const facts = definitionList([
    ['Phase (OPSI)', s.lifecyclePhase ? PHASE[s.lifecyclePhase] : null],
    ['Entwicklungsstand', s.developmentStatus ? DEV_STATUS[s.developmentStatus] : null],
    ['Softwaretyp', s.softwareType],
    ['Quellcode', s.repositoryUrl ? link(s.repositoryUrl, s.repositoryUrl, { rel: 'noopener' }) : null],
    ['Pflege', s.maintenanceType ? MAINTENANCE[s.maintenanceType] : null],
    ['Gepflegt von', s.maintainers.length ? s.maintainers.map((m, i) => [i ? ', ' : '',
      link(hrefFor(m.organization.id), m.organization.name), m.until ? ` (bis ${formatDate(m.until)})` : ''])
      : null],
    ['Gepflegt bis', s.maintainedUntil ? formatDate(s.maintainedUntil) : null],
    ['Gefördert durch', links(s.fundedBy)],
    ['Einmalige Kosten', euros(s.costOneOffEur)],
    ['Laufende Kosten pro Jahr', euros(s.costRunningEurPerYear)],
    ['Aufwand', s.effortNote],
    ['Setzt Verwaltungsleistungen um', s.implementsServices.length ? s.implementsServices.map((c) => c.label).join(', ')
      : null],
    ['Abgeleitet von', links(s.derivedFrom)],
    ['Weiterentwicklungen', links(s.derivatives)],
    ['Im Einsatz bei mindestens zwei Verwaltungen', r.usedInTwoOrMoreAdministrations
      ? `ja (${r.adopterCount})` : `nein (${r.adopterCount})`],
  ]);
  facts.id = 'steckbrief';
  holder.replaceChildren();
  append(holder, [facts,
    s.lessonsLearned ? h('blockquote', { id: 'erfahrungen' }, h('p', {}, h('strong', {}, 'Was wir anders machen '
      + 'würden: '), s.lessonsLearned)) : null,
    h('h3', {}, 'Wirkungsnachweise'), evidenceList(s.evidence)]);
}

function matchItem(m) {
  return h('li', { 'data-id': m.solution.id }, link(hrefFor(m.solution.id), m.solution.name),
    h('ul', { class: 'meta' }, m.reasons.map((x) => h('li', {}, reason(x)))));
}

const countyId = (id) => (/^\d+$/.test(id || '') ? `County:${id}` : id);

// `#/bedarfe/13076`: the needs log of a county, newest first, each need with its best matches.
export async function renderNeeds(page, { id, params }) {
  const county = countyId(id);
  if (!county) {
    showError(new Error('Bitte einen Kreis angeben, z. B. #/bedarfe/13076.'), 'Kein Kreis');
    return;
  }
  const statuses = (params.get('status') || 'OPEN,MATCHED').split(',').filter((x) => NEED_STATUS[x]);
  const data = await withStatus('Bedarfe werden geladen …', () => gql(OPEN_NEEDS, { county, status: statuses }),
    'Die Bedarfe konnten nicht geladen werden');
  if (!data) return;
  document.title = 'Bedarfe – copgraph Explorer';
  const rows = data.openNeeds;
  page.append(h('p', { class: 'kicker' }, 'Bedarfsregister'),
    h('h1', {}, `Bedarfe im ${data.county ? data.county.name : county}`),
    h('p', { class: 'lead' }, 'Was Gemeinden, Ämter und Verwaltungen brauchen, von Lotsinnen und Lotsen erfasst, '
      + 'mit den passendsten Lösungen.'),
    section('Offene Bedarfe', rows.length ? h('ol', { id: 'bedarfsliste' }, rows.map((n) => h('li',
      { 'data-id': n.need.id, 'data-status': n.need.status },
      h('h3', {}, link(hrefFor(n.neededBy.id), displayName(n.neededBy)), ': ',
        n.need.concerns.map((c) => c.label).join(', ')),
      h('p', { class: 'meta' }, NEED_STATUS[n.need.status], ', erfasst am ', formatDate(n.need.recordedOn),
        n.need.recordedBy ? [' von ', link(hrefFor(n.need.recordedBy.id), displayName(n.need.recordedBy))] : null,
        ' ', illustrativeBadge(n.need), ' ', sourceLinks(n.need)),
      n.need.description ? h('p', {}, n.need.description) : null,
      n.bestMatches.length ? h('ul', { class: 'treffer' }, n.bestMatches.map(matchItem))
        : empty('Noch keine passende Lösung im Wissensgraphen.'))))
      : empty('Keine offenen Bedarfe erfasst.')));
}
