// Entry point: maps routes to views, swaps the page section on every hash change, moves focus to
// the new heading and marks the current navigation entry.
import { h } from './dom.js';
import { clearError, setStatus } from './feedback.js';
import { idForRoute } from './labels.js';
import { parseHash } from './router.js';
import { renderCatalogue } from './views/catalogue.js';
import { renderCounty, renderTerritories } from './views/territories.js';
import { renderDetails } from './views/details.js';
import { renderMunicipality } from './views/municipality.js';
import { renderNetwork } from './views/network.js';
import { renderNeeds } from './views/profile.js';
import { renderSearch } from './views/search.js';
import { renderSolution } from './views/solution.js';

const VIEWS = {
  '': ['suche', renderSearch],
  suche: ['suche', renderSearch],
  gemeinde: ['gemeinden', renderMunicipality],
  loesung: ['loesungen', renderSolution],
  loesungen: ['loesungen', renderCatalogue],
  gemeinden: ['gemeinden', renderTerritories],
  kreis: ['gemeinden', renderCounty],
  netzwerk: ['netzwerk', renderNetwork],
  knoten: ['suche', renderDetails],
  bedarfe: ['gemeinden', renderNeeds],
};

function markNavigation(current) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function navigate() {
  const { route, id: raw, params } = parseHash();
  const id = idForRoute(route, raw);
  const [nav, view] = VIEWS[route] || VIEWS[''];
  const main = document.getElementById('inhalt');
  const page = h('div', { class: 'page', 'data-route': route || 'suche' });
  clearError();
  setStatus('');
  for (const cy of Object.values(window.explorerGraphs || {})) cy.destroy();
  window.explorerGraphs = {};
  window.cy = undefined;
  main.replaceChildren(page);
  markNavigation(nav);
  main.setAttribute('aria-busy', 'true');
  try {
    await view(page, { id, params });
  } finally {
    if (page.isConnected) {
      main.removeAttribute('aria-busy');
      page.dataset.ready = 'true';
    }
  }
  const heading = page.querySelector('h1');
  if (heading && page.isConnected && document.activeElement === document.body) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

window.addEventListener('hashchange', navigate);
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', navigate);
else navigate();
