// Hash router: `#/<route>/<id>?key=value`; the id is URI-encoded (ids contain ':').

export function parseHash(hash = window.location.hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const [route = '', ...rest] = path.split('/');
  return {
    route,
    id: rest.length ? decodeURIComponent(rest.join('/')) : null,
    params: new URLSearchParams(query),
  };
}

export function hashFor(route, id = null, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v != null && v !== '')).toString();
  return `#/${route}${id ? `/${encodeURIComponent(id)}` : ''}${query ? `?${query}` : ''}`;
}

export function go(route, id = null, params = {}) {
  window.location.hash = hashFor(route, id, params);
}
