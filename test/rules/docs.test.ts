import * as fs from 'fs';
import * as path from 'path';
import { renderRulesDoc } from '../../scripts/gen-rules-doc';
import { CROSS_RULES, SPEC_RULES } from '../../src/rules/index';

test('docs/rules.md is in sync with the registry (regenerate: npm run build && node dist/scripts/gen-rules-doc.js)', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');
  expect(doc).toBe(renderRulesDoc());
  for (const r of [...SPEC_RULES, ...CROSS_RULES]) expect(doc).toContain(`| ${r.meta.id} |`);
});
