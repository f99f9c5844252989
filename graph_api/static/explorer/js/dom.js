// Small DOM helpers: elements are built with text nodes only (never innerHTML), so data from
// the graph can never inject markup; and only http(s) addresses become links, so a stored
// `javascript:` (or `data:`, `vbscript:`) URL is shown as text, never as something to click.
// The server's Content-Security-Policy would refuse to run such a URL too; this is the second wall.

const LINK_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);

// The address itself when it is http(s) (relative ones resolve against the page), else null.
export function safeUrl(value) {
  try {
    const { protocol } = new URL(String(value), document.baseURI);
    return protocol === 'http:' || protocol === 'https:' ? String(value) : null;
  } catch {
    return null;
  }
}

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key.startsWith('on')) continue; // never an inline handler (the CSP forbids them anyway)
    else if (LINK_ATTRIBUTES.has(key.toLowerCase())) {
      if (safeUrl(value) != null) el.setAttribute(key, String(value));
    } else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// A link, or the bare text (marked `unlinked`) when the address is not http(s).
export const link = (href, text, attrs = {}) => (safeUrl(href) == null
  ? h('span', { class: 'unlinked', title: 'Keine http(s)-Adresse, daher nicht verlinkt' }, text)
  : h('a', { href, ...attrs }, text));

export function definitionList(pairs) {
  return h('dl', { class: 'facts' },
    pairs.filter(([, value]) => value != null && value !== '').flatMap(([term, value]) => [h('dt', {}, term),
      h('dd', {}, value)]));
}

export function section(title, ...children) {
  const id = `abschnitt-${title.toLowerCase().replace(/[^a-z0-9äöüß]+/g, '-')}`;
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export const empty = (text) => h('p', { class: 'empty' }, text);
