// Maps with Leaflet (vendored, global `L`), fully offline: no tile layer, only points on a plain
// background with a scale bar, so distances read true. Coordinates come from the API's `location`
// (GeoNames, CC BY 4.0; graph_api/geo.py); a point that stands for the seat of an Amt or county
// instead of the village itself is drawn hollow and listed as such. Every point is also a link in
// the list under the map, for keyboard and screen-reader users; the map itself pans with the arrow
// keys and zooms with + and −.
import { h, link } from './dom.js';
import { canvasBlob, pngButton } from './export.js';
import { hrefFor } from './labels.js';

export const PRECISION = {
  MUNICIPALITY: 'Lage der Gemeinde',
  ASSOCIATION_SEAT: 'Sitz des Amtes bzw. Gemeindeverbands (Gemeinde nicht im Ortsverzeichnis)',
  COUNTY_SEAT: 'Kreissitz (Gemeinde nicht im Ortsverzeichnis)',
};

const STYLE = {
  adopter: { radius: 8, color: '#0b3d1f', weight: 2, fillColor: '#1b8a4a', fillOpacity: 0.95 },
  municipality: { radius: 4, color: '#4a4a4a', weight: 1, fillColor: '#9aa3ad', fillOpacity: 0.8 },
  here: { radius: 10, color: '#111', weight: 3, fillColor: '#ffbf47', fillOpacity: 1 },
};

export const ATTRIBUTION = 'Koordinaten: GeoNames (geonames.org), CC BY 4.0';

// points: [{ id, label, lat, lon, precision, kind: 'adopter' | 'municipality' | 'here', note? }]
export function drawMap(figure, { title, points, filename, legend: words = {} }) {
  const placed = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  const canvas = h('div', { class: 'map-canvas', tabindex: '0', role: 'application',
    'aria-label': `${title}: ${placed.length} Orte. Pfeiltasten verschieben, Plus und Minus zoomen. `
      + 'Die Orte stehen darunter als Liste.' });
  const legend = h('p', { class: 'legend meta' },
    h('span', { class: 'dot adopter' }), ` ${words.adopter || 'Anwender'}  `, h('span', { class: 'dot municipality' }),
    ` ${words.municipality || 'weitere Gemeinden'}  `,
    h('span', { class: 'dot hollow' }), ' hohl: Lage ersatzweise am Amts- oder Kreissitz');
  const list = h('ul', { class: 'map-points columns' }, placed.map((p) => h('li', { 'data-id': p.id,
    'data-precision': p.precision, 'data-kind': p.kind },
  link(hrefFor(p.id), p.label), p.note ? ` – ${p.note}` : '',
  p.precision !== 'MUNICIPALITY' ? h('span', { class: 'meta' }, ` (${PRECISION[p.precision] || p.precision})`) : null)));
  const controls = h('div', { class: 'graph-controls' });
  figure.replaceChildren(h('figcaption', {}, title), legend, controls, canvas,
    h('p', { class: 'meta attribution' }, `${ATTRIBUTION}. Keine Kartenkacheln: nur Punkte, Maßstab unten links.`),
    h('details', { class: 'graph-list' }, h('summary', {}, `Alle ${placed.length} Orte als Liste`), list));
  if (typeof window.L !== 'object' || !placed.length) {
    canvas.replaceWith(h('p', { class: 'empty' }, placed.length ? 'Die Kartenbibliothek konnte nicht geladen werden; '
      + 'die Orte stehen in der Liste darunter.' : 'Für keinen dieser Orte sind Koordinaten bekannt.'));
    return null;
  }
  const { L } = window;
  const map = L.map(canvas, { preferCanvas: true, attributionControl: false, zoomSnap: 0.25, keyboard: true });
  L.control.scale({ metric: true, imperial: false }).addTo(map);
  const markers = placed.map((p) => {
    const style = { ...STYLE[p.kind] || STYLE.municipality };
    if (p.precision && p.precision !== 'MUNICIPALITY') style.fillOpacity = 0.15;
    const marker = L.circleMarker([p.lat, p.lon], style).addTo(map);
    marker.bindTooltip(p.label);
    marker.on('click', () => { window.location.hash = hrefFor(p.id); });
    return marker;
  });
  const bounds = L.latLngBounds(placed.map((p) => [p.lat, p.lon]));
  map.fitBounds(bounds.pad(0.1), { maxZoom: 11 });
  for (const kind of ['adopter', 'here']) markers.forEach((m, i) => { if (placed[i].kind === kind) m.bringToFront(); });
  controls.append(h('button', { type: 'button', onclick: () => map.fitBounds(bounds.pad(0.1), { maxZoom: 11 }) },
    'Einpassen'), pngButton(() => mapPng(canvas, title), filename || title, 'Karte als PNG herunterladen'));
  if (figure.isConnected) window.explorerMaps = { ...(window.explorerMaps || {}), [figure.id]: map };
  return map;
}

// The drawn points on white with the title and the attribution (the canvas renderer's layer is
// transparent and larger than the view; only the visible part is taken).
async function mapPng(container, title) {
  const layer = container.querySelector('canvas');
  const view = container.getBoundingClientRect();
  const ratio = window.devicePixelRatio || 1;
  const out = document.createElement('canvas');
  out.width = Math.round(view.width * ratio);
  out.height = Math.round((view.height + 48) * ratio);
  const g = out.getContext('2d');
  g.scale(ratio, ratio);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, view.width, view.height + 48);
  if (layer) {
    const box = layer.getBoundingClientRect();
    g.drawImage(layer, box.left - view.left, 24 + box.top - view.top, box.width, box.height);
  }
  g.fillStyle = '#111';
  g.font = '600 14px system-ui, sans-serif';
  g.fillText(title, 8, 17);
  g.font = '11px system-ui, sans-serif';
  g.fillText(ATTRIBUTION, 8, view.height + 40);
  return canvasBlob(out);
}
