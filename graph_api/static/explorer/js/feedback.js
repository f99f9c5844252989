// The page-wide status line (announced politely) and the error box (announced as an alert).
import { ApiError } from './api.js';

const statusEl = () => document.getElementById('status');
const errorEl = () => document.getElementById('fehler');

export function setStatus(text) {
  statusEl().textContent = text || '';
}

export function clearError() {
  const el = errorEl();
  el.hidden = true;
  el.textContent = '';
}

export function showError(err, context = 'Die Anfrage ist fehlgeschlagen') {
  const el = errorEl();
  el.textContent = '';
  const messages = err instanceof ApiError ? err.messages : [err && err.message ? err.message : String(err)];
  const heading = document.createElement('strong');
  heading.textContent = `${context}: `;
  el.append(heading, messages.join(' · '));
  el.hidden = false;
  setStatus('');
  console.error(err);
}

// Runs an async step with a status text; errors are shown, not swallowed, and re-thrown as false.
export async function withStatus(text, step, context) {
  setStatus(text);
  try {
    const result = await step();
    setStatus('');
    return result;
  } catch (err) {
    showError(err, context);
    return undefined;
  }
}
