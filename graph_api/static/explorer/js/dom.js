// Small DOM helpers: elements are built with text nodes only (never innerHTML), so data from
// the graph can never inject markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
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

export const link = (href, text, attrs = {}) => h('a', { href, ...attrs }, text);

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
