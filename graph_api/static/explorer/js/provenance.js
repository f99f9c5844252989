// Where a claim comes from: a badge when only illustrative sample data states it, and links to its
// sources. Every row or card that shows a fact from the graph carries both.
import { empty, h, link, section } from './dom.js';
import { hrefFor } from './labels.js';

export const ILLUSTRATIVE_TITLE = 'Illustrativ: keine öffentliche Quelle belegt diesen Eintrag (Beispieldaten).';

export const illustrativeBadge = (node) => (node && node.illustrative
  ? h('span', { class: 'badge illustrative', title: ILLUSTRATIVE_TITLE }, 'illustrativ') : null);

// Links to the sources of a node ("Quelle: …"), or a plain note that none is recorded.
export function sourceLinks(node) {
  const sources = (node && node.sourceRecords) || [];
  if (!sources.length) return h('span', { class: 'meta sources' }, 'keine Quelle erfasst');
  return h('span', { class: 'sources' }, sources.length === 1 ? 'Quelle: ' : 'Quellen: ',
    sources.map((s, i) => [i ? ', ' : '', link(hrefFor(s.id), s.title, { 'data-source-id': s.id })]));
}

// Badge and numbered source links (full titles as their accessible names), as one table cell; its
// CSV value names the sources in full and the flag.
export function provenanceCell(node) {
  const sources = (node && node.sourceRecords) || [];
  const csv = `${node && node.illustrative ? 'illustrativ; ' : ''}${sources.map((s) => s.title).join(', ')}`;
  return h('td', { class: 'provenance', 'data-csv': csv }, illustrativeBadge(node), node && node.illustrative ? ' ' : null,
    sources.length ? sources.map((s, i) => [i ? ', ' : '', link(hrefFor(s.id), `Quelle ${i + 1}`,
      { title: s.title, 'aria-label': `Quelle: ${s.title}`, 'data-source-id': s.id })])
      : h('span', { class: 'meta' }, 'keine Quelle erfasst'));
}

// A page's "Quellen" section for the node it is about: its sources, and the note when only
// illustrative sample data states it.
export const provenanceSection = (n) => section('Quellen',
  n.illustrative ? h('p', { class: 'note' }, ILLUSTRATIVE_TITLE) : null,
  n.sourceRecords.length ? h('ul', {}, n.sourceRecords.map((s) => h('li', { 'data-id': s.id },
    link(hrefFor(s.id), s.title), s.illustrative ? h('span', { class: 'meta' }, ' (illustrativ)') : null)))
    : empty('Keine Quelle erfasst.'));
