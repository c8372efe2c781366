#!/usr/bin/env node
'use strict';
// Build step: writes the enum of `airflow.version` in schemas/environment.schema.json from data/airflow-versions.json
// (every version the table knows, newest first), so that editors complete versions and the schema and the data
// cannot disagree. Runs in `npm run build` and in the package build (scripts/prepack.cjs); test/spec/schema-docs.test.ts
// fails when the checked-in schema is out of date. The rest of the schema file is left byte for byte.
//   node scripts/gen-schema-versions.cjs          rewrite the schema when the enum differs
//   node scripts/gen-schema-versions.cjs --check  exit 1 when it differs (writes nothing)
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const SCHEMA = path.join(root, 'schemas', 'environment.schema.json');
const DATA = path.join(root, 'data', 'airflow-versions.json');

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The versions of the data table, newest first. */
function versionEnum(data = JSON.parse(fs.readFileSync(DATA, 'utf8'))) {
  return data.versions.map((v) => v.version).sort((a, b) => compareVersions(b, a));
}

/** The schema text with the version enum set; the `"version": {` block under airflow holds one `"enum"` line. */
function render(text, versions) {
  const start = text.indexOf('"version": {\n');
  if (start < 0) throw new Error('schemas/environment.schema.json: no "version" property found');
  const end = text.indexOf('}', start);
  const block = text.slice(start, end);
  const enumLine = `"enum": ${JSON.stringify(versions).replace(/,/g, ', ')},`;
  let next;
  if (/"enum": \[[^\]]*\],/.test(block)) next = block.replace(/"enum": \[[^\]]*\],/, enumLine);
  else next = block.replace(/("type": "string",\n(\s*))/, `$1${enumLine}\n$2`);
  if (next === block && !block.includes(enumLine)) throw new Error('schemas/environment.schema.json: cannot place the version enum');
  return text.slice(0, start) + next + text.slice(end);
}

if (require.main === module) {
  const text = fs.readFileSync(SCHEMA, 'utf8');
  const out = render(text, versionEnum());
  JSON.parse(out);
  if (process.argv.includes('--check')) {
    if (out !== text) {
      process.stderr.write('schemas/environment.schema.json: the airflow.version enum differs from data/airflow-versions.json; run node scripts/gen-schema-versions.cjs\n');
      process.exit(1);
    }
  } else if (out !== text) {
    fs.writeFileSync(SCHEMA, out);
    process.stdout.write('schemas/environment.schema.json: airflow.version enum updated from data/airflow-versions.json\n');
  }
}

module.exports = { render, versionEnum, SCHEMA, DATA };
