// A bar chart with a cumulative line, drawn on a <canvas> (so it saves as PNG as it is shown) and
// always paired with its numbers as a table, which is what screen readers and the CSV export use.
import { h } from './dom.js';
import { canvasBlob, pngButton, tableWithCsv } from './export.js';

const BAR = '#0b4f8a';
const LINE = '#b34700';
const AXIS = '#4a4a4a';

// rows: [{ label, value, total }] — value drawn as a bar, total (running sum) as a line.
export function drawBarChart(figure, { title, rows, valueLabel, totalLabel, filename }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${title}. Die Zahlen stehen in der Tabelle darunter.` });
  const table = h('table', { class: 'data', id: `${figure.id}-tabelle` },
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Jahr'), h('th', { scope: 'col' }, valueLabel),
      h('th', { scope: 'col' }, totalLabel))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-label': r.label, 'data-value': r.value, 'data-total': r.total },
      h('th', { scope: 'row' }, r.label), h('td', { class: 'number' }, String(r.value)),
      h('td', { class: 'number' }, String(r.total))))));
  figure.replaceChildren(h('figcaption', {}, title),
    h('p', { class: 'legend meta' }, h('span', { class: 'swatch bar' }), ` ${valueLabel}  `,
      h('span', { class: 'swatch line' }), ` ${totalLabel}`),
    canvas, pngButton(() => canvasBlob(canvas), filename, 'Diagramm als PNG herunterladen'),
    h('details', { class: 'chart-table' }, h('summary', {}, 'Zahlen als Tabelle'), tableWithCsv(table, filename)));
  paint(canvas, rows);
  return canvas;
}

function paint(canvas, rows) {
  const width = Math.max(280, Math.min(900, canvas.parentElement.clientWidth || 600));
  const height = 260;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = `${width}px`; // CSSOM, not a style attribute: allowed under the page's CSP
  canvas.style.height = `${height}px`;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  const left = 40;
  const right = 40;
  const top = 16;
  const bottom = 34;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxValue = Math.max(1, ...rows.map((r) => r.value));
  const maxTotal = Math.max(1, ...rows.map((r) => r.total));
  g.font = '12px system-ui, sans-serif';
  g.strokeStyle = AXIS;
  g.fillStyle = AXIS;
  g.beginPath();
  g.moveTo(left, top);
  g.lineTo(left, top + plotH);
  g.lineTo(left + plotW, top + plotH);
  g.stroke();
  g.textAlign = 'right';
  g.fillText(String(maxValue), left - 6, top + 10);
  g.fillText('0', left - 6, top + plotH);
  g.textAlign = 'left';
  g.fillStyle = LINE;
  g.fillText(String(maxTotal), left + plotW + 6, top + 10);
  const step = plotW / Math.max(1, rows.length);
  const barW = Math.max(4, Math.min(48, step * 0.6));
  const labelEvery = Math.ceil(rows.length / Math.max(1, Math.floor(plotW / 44)));
  rows.forEach((r, i) => {
    const x = left + step * i + step / 2;
    const barH = (r.value / maxValue) * plotH;
    g.fillStyle = BAR;
    g.fillRect(x - barW / 2, top + plotH - barH, barW, barH);
    if (i % labelEvery === 0) {
      g.fillStyle = AXIS;
      g.textAlign = 'center';
      g.fillText(r.label, x, top + plotH + 18);
    }
  });
  g.strokeStyle = LINE;
  g.lineWidth = 2.5;
  g.beginPath();
  rows.forEach((r, i) => {
    const x = left + step * i + step / 2;
    const y = top + plotH - (r.total / maxTotal) * plotH;
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}
