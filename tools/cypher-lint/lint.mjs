// Static lint of the Neo4j variants of copgraph's named queries.
//
// Usage: node tools/cypher-lint/lint.mjs [FILE_OR_DIR ...]   (default: queries/)
// Lints every `*.neo4j.cypher` file and every portable `*.cypher` file whose header lists the
// neo4j dialect, with @neo4j-cypher/language-support's lintCypherQuery against schema.json
// (labels, relationship types and property keys generated from graph_api/model.py by
// `python -m graph_api.query_docs --write`) and the parameters the file's header declares.
// Syntax errors, undefined variables, undeclared parameters and unknown labels or relationship
// types are all reported as `file:line:column: message`; any finding makes the exit code 1.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's ESM build uses extension-less imports that Node cannot resolve; its CJS build works.
const { lintCypherQuery } = createRequire(import.meta.url)('@neo4j-cypher/language-support');

const here = dirname(fileURLToPath(import.meta.url));
const projectRoot = resolve(here, '..', '..');
const schema = JSON.parse(readFileSync(join(here, 'schema.json'), 'utf8'));

function cypherFiles(target) {
  if (statSync(target).isDirectory()) {
    return readdirSync(target).sort().flatMap((name) => cypherFiles(join(target, name)));
  }
  return target.endsWith('.cypher') ? [target] : [];
}

function header(text) {
  const params = {};
  let dialects = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('//')) break;
    const param = line.match(/^\/\/\s*param\s*:\s*([A-Za-z_]\w*)\s*:/);
    if (param) params[param[1]] = null;
    const declared = line.match(/^\/\/\s*dialects\s*:\s*(.*)$/);
    if (declared) dialects = declared[1].split(',').map((d) => d.trim());
  }
  return { params, dialects };
}

const targets = process.argv.slice(2);
const files = (targets.length ? targets : [join(projectRoot, 'queries')]).flatMap((t) => cypherFiles(resolve(t)));
let findings = 0;
let linted = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const { params, dialects } = header(text);
  if (file.endsWith('.ladybug.cypher') || !(file.endsWith('.neo4j.cypher') || dialects.includes('neo4j'))) continue;
  linted += 1;
  for (const d of lintCypherQuery(text, { ...schema, parameters: params })) {
    findings += 1;
    const kind = d.severity === 1 ? 'error' : 'warning';
    const where = `${d.range.start.line + 1}:${d.range.start.character + 1}`;
    console.error(`${relative(process.cwd(), file)}:${where}: ${kind}: ${d.message.split('\n')[0]}`);
  }
}
if (linted === 0) {
  console.error('cypher-lint: no Neo4j query found to lint');
  process.exit(2);
}
console.log(`cypher-lint: ${linted} Neo4j quer${linted === 1 ? 'y' : 'ies'} checked, ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
