/**
 * Generate docs/rules.md from the rule registry (src/rules/index.ts).
 * Usage: npm run build && node dist/scripts/gen-rules-doc.js
 * test/rules/docs.test.ts fails when docs/rules.md is out of date.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CROSS_RULES, SPEC_RULES } from '../src/rules/index';
import type { RuleMeta } from '../src/rules/types';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderRulesDoc(): string {
  const row = (m: RuleMeta, scope: string) => `| ${m.id} | ${m.severity} | ${scope} | ${esc(m.description)} | ${esc(m.reference)} |`;
  return [
    '# MWAA rules',
    '',
    'Generated from `src/rules/index.ts` by `scripts/gen-rules-doc.ts`; do not edit by hand.',
    'Severity is the default; some findings of a rule carry another (e.g. a version near end of support is a warning).',
    'Rules run after the JSON Schema passed; data tables they use live in `data/` (each names its source).',
    '',
    '| Id | Severity | Scope | What it checks | Reference |',
    '|---|---|---|---|---|',
    ...SPEC_RULES.map((r) => row(r.meta, 'environment')),
    ...CROSS_RULES.map((r) => row(r.meta, 'repository')),
    '',
    'Artifact rules (`MWAA-ART-002`, `MWAA-REQ-*`, `MWAA-PLG-*`, `MWAA-STS-*`) judge what the loader read from requirements.txt,',
    'plugins.zip and the startup script (src/artifacts/read.ts) and report at the artifact\'s own file and line; rules still read no files.',
    'Artifact existence and repository containment are checked by the loader (`SPEC-ARTIFACT-*`). `MWAA-REQ-006` reports only with `validate --resolve`.',
    '',
  ].join('\n');
}

/** Repository root whether run from scripts/ (ts) or dist/scripts/ (compiled). */
const ROOT = fs.existsSync(path.join(__dirname, '..', 'package.json')) ? path.join(__dirname, '..') : path.join(__dirname, '..', '..');
export const RULES_DOC = path.join(ROOT, 'docs', 'rules.md');

if (require.main === module) {
  fs.writeFileSync(RULES_DOC, renderRulesDoc());
  process.stdout.write(`wrote ${RULES_DOC}\n`);
}
