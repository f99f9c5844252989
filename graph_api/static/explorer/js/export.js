// Downloads: every table as CSV, every graph and chart as PNG. The file is made in the browser
// (no request leaves the page) and handed over through a temporary object URL.
import { h } from './dom.js';

// Cells that start like a formula are prefixed with an apostrophe, so a stored name such as
// "=HYPERLINK(...)" stays text when the file is opened in a spreadsheet (CSV injection).
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value) {
  let text = value == null ? '' : String(value).replace(/\s+/g, ' ').trim();
  if (FORMULA.test(text)) text = `'${text}`;
  return /[";\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// Semicolons and a byte-order mark: what German spreadsheet programs open without an import dialog.
export const csvText = (rows) => `\ufeff${rows.map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`;

// The rows of a table as shown: header and body cells; a cell may state its CSV value in data-csv.
export function tableRows(table) {
  return [...table.querySelectorAll('thead tr, tbody tr')].map((tr) => [...tr.cells].map(
    (cell) => (cell.dataset.csv != null ? cell.dataset.csv : cell.textContent)));
}

export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a'); // not h(): its link rule admits http(s) only, this is a blob: URL
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const fileSlug = (text) => String(text).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  .replace(/ß/g, 'ss').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'export';

// A table in its scroll box with a "CSV herunterladen" button under it.
export function tableWithCsv(table, filename) {
  const button = h('button', { type: 'button', class: 'secondary download', 'data-csv-for': table.id || null,
    onclick: () => saveBlob(new Blob([csvText(tableRows(table))], { type: 'text/csv;charset=utf-8' }),
      `${fileSlug(filename)}.csv`) }, 'Tabelle als CSV herunterladen');
  return h('div', { class: 'table-block' }, h('div', { class: 'table-wrap' }, table), button);
}

// A button that saves a PNG made by `makeBlob` (a promise of a Blob).
export function pngButton(makeBlob, filename, label = 'Als PNG herunterladen') {
  return h('button', { type: 'button', class: 'secondary download', 'data-png': fileSlug(filename),
    onclick: async () => saveBlob(await makeBlob(), `${fileSlug(filename)}.png`) }, label);
}

export const canvasBlob = (canvas) => new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
