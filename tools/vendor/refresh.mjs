// Refresh the browser libraries copgraph serves itself, from the versions pinned in package-lock.json.
//
//   cd tools/vendor && npm ci --ignore-scripts && node refresh.mjs
//
// Why vendored: public bodies often run without access to public CDNs, and loading scripts from one
// hands every visitor's address to a third party. So GraphiQL (with React and the explorer plugin)
// and Cytoscape are copied into graph_api/static/ and served by copgraph, each with its licence and
// a README naming the exact versions. GraphiQL's stylesheet embeds its fonts and images as data:
// URLs, which a Content-Security-Policy of `default-src 'self'` refuses; they are written out as
// files next to the stylesheet and the stylesheet points at those instead.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const staticDir = join(here, '..', '..', 'graph_api', 'static');
const lock = JSON.parse(readFileSync(join(here, 'package-lock.json'), 'utf8'));

// target folder -> files to copy: [package, file in the package, name in the folder]
const BUNDLES = {
  'graphiql/vendor': [
    ['react', 'umd/react.production.min.js', 'react.production.min.js'],
    ['react-dom', 'umd/react-dom.production.min.js', 'react-dom.production.min.js'],
    ['graphiql', 'graphiql.min.js', 'graphiql.min.js'],
    ['graphiql', 'graphiql.min.css', 'graphiql.min.css'],
    ['@graphiql/plugin-explorer', 'dist/index.umd.js', 'plugin-explorer.umd.js'],
    ['@graphiql/plugin-explorer', 'dist/style.css', 'plugin-explorer.css'],
  ],
  'explorer/vendor': [
    ['cytoscape', 'dist/cytoscape.min.js', 'cytoscape.min.js'],
    ['leaflet', 'dist/leaflet.js', 'leaflet.js'],
    ['leaflet', 'dist/leaflet.css', 'leaflet.css'],
    ['leaflet', 'dist/images/layers.png', 'images/layers.png'],
    ['leaflet', 'dist/images/layers-2x.png', 'images/layers-2x.png'],
    ['leaflet', 'dist/images/marker-icon.png', 'images/marker-icon.png'],
  ],
};
// Old Internet Explorer's VML behaviour in Leaflet's stylesheet names no file (`url(#default#VML)`);
// no supported browser reads it, and a stylesheet here refers only to files next to it
const STYLESHEET_EDITS = { 'leaflet.css': (css) => css.replace(/\s*behavior: url\(#default#VML\);/g, '') };
// packages whose bundles carry their dependencies inside (their licences ship too); peer
// dependencies such as React are loaded separately and are not followed
const BUNDLING = { 'graphiql/vendor': ['graphiql', '@graphiql/plugin-explorer'] };
// packages published without a licence file, and the package of the same repository whose file applies
const LICENCE_FROM = { '@graphiql/plugin-explorer': 'graphiql' };

function locked(name) {
  const entry = lock.packages[`node_modules/${name}`];
  if (!entry) throw new Error(`${name} is not in package-lock.json`);
  return entry;
}

const nameOf = (path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

function licenceText(path) {
  const folder = join(here, path);
  for (const file of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'LICENCE']) {
    if (existsSync(join(folder, file))) return readFileSync(join(folder, file), 'utf8');
  }
  const from = LICENCE_FROM[nameOf(path)];
  if (from) return `(${nameOf(path)} ships no licence file; it is published from the ${from} repository under ` +
    `${lock.packages[path].license}, whose licence follows)\n\n${licenceText(`node_modules/${from}`)}`;
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  if (!manifest.license) throw new Error(`${path} declares no licence: vendor it differently`);
  return `(the package ships no licence file; its package.json declares ${manifest.license}` +
    `${manifest.author ? `, author ${typeof manifest.author === 'string' ? manifest.author : manifest.author.name}` : ''}` +
    `${repository ? `, source ${repository}` : ''})\n`;
}

// npm's resolution: the nearest node_modules folder up from the requiring package
function resolve(from, dep) {
  let base = from;
  for (;;) {
    const candidate = `${base}/node_modules/${dep}`.replace(/^\//, '');
    if (lock.packages[candidate]) return candidate;
    if (!base) throw new Error(`${dep} (needed by ${from}) is not in package-lock.json`);
    const cut = base.lastIndexOf('/node_modules/');
    base = cut >= 0 ? base.slice(0, cut) : '';
  }
}

// lock paths of every package `roots` depend on, directly or not (what their bundles contain)
function dependencyClosure(roots) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const dep of Object.keys(lock.packages[path].dependencies || {})) visit(resolve(path, dep));
  };
  for (const root of roots) visit(`node_modules/${root}`);
  return [...seen].sort();
}

// data: URLs in a stylesheet -> files named by their content hash, next to the stylesheet
function externaliseDataUrls(css, folder) {
  const types = { 'font/woff2': 'woff2', 'font/woff': 'woff', 'image/png': 'png', 'image/svg+xml': 'svg' };
  mkdirSync(join(folder, 'assets'), { recursive: true });
  return css.replace(/url\((['"]?)data:([^;,]+)(;base64)?,([^'")]*)\1\)/g, (match, quote, type, base64, data) => {
    const extension = types[type];
    if (!extension) throw new Error(`unexpected data: URL of type ${type} in a stylesheet`);
    const bytes = base64 ? Buffer.from(data, 'base64') : Buffer.from(decodeURIComponent(data), 'utf8');
    const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${extension}`;
    writeFileSync(join(folder, 'assets', name), bytes);
    return `url(assets/${name})`;
  });
}

for (const [target, files] of Object.entries(BUNDLES)) {
  const folder = join(staticDir, target);
  const packages = [...new Set(files.map(([name]) => name))];
  if (target === 'graphiql/vendor') rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const [name, file, as] of files) {
    const source = join(modules, name, file);
    mkdirSync(dirname(join(folder, as)), { recursive: true });
    const edit = STYLESHEET_EDITS[as] || ((css) => css);
    if (as.endsWith('.css')) writeFileSync(join(folder, as), edit(externaliseDataUrls(readFileSync(source, 'utf8'), folder)));
    else copyFileSync(source, join(folder, as));
  }
  for (const name of packages) writeFileSync(join(folder, `${name.replace('@', '').replace('/', '-')}.LICENSE.txt`),
    licenceText(`node_modules/${name}`));
  const roots = BUNDLING[target] || [];
  const bundled = dependencyClosure(roots).filter((path) => !roots.includes(nameOf(path)));
  if (bundled.length) {
    writeFileSync(join(folder, 'THIRD-PARTY-LICENSES.txt'), bundled.map((path) =>
      `==== ${nameOf(path)} ${lock.packages[path].version} (${lock.packages[path].license}) ====\n\n` +
      `${licenceText(path)}\n`).join('\n'));
  }
  const lines = packages.map((name) => `- ${name} ${locked(name).version} (${locked(name).license}): ` +
    files.filter(([n]) => n === name).map(([, file, as]) => `${file} -> ${as}`).join(', '));
  writeFileSync(join(folder, 'README'), [
    'Vendored browser libraries, served by copgraph itself (no request leaves for a CDN).',
    'Written by tools/vendor/refresh.mjs from the versions pinned in tools/vendor/package-lock.json;',
    'do not edit by hand: change package.json, run `npm install`, then `node refresh.mjs` there.',
    '',
    ...lines,
    '',
    `Licences: <package>.LICENSE.txt${bundled.length ? '; THIRD-PARTY-LICENSES.txt for what the bundles contain' : ''}.`,
    '',
  ].join('\n'));
  console.log(`${target}: ${packages.map((n) => `${n}@${locked(n).version}`).join(', ')}`);
}
