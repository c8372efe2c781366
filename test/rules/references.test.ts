/**
 * Rule references point users at public documentation they can open: an https URL of the AWS documentation (the
 * MWAA User Guide or API reference where the fact comes from MWAA), or of the Terraform documentation for the
 * state-backend rule. Nothing a user receives names the project's private notes (mwaa-reference.md) or their
 * check ids (V-01 ...).
 */
import * as fs from 'fs';
import * as path from 'path';
import { CROSS_RULES, SPEC_RULES } from '../../src/rules/index';

const ROOT = path.join(__dirname, '..', '..');
const PUBLIC_DOCS = /^https:\/\/(docs\.aws\.amazon\.com|developer\.hashicorp\.com)\/[\w./#-]+$/;
const MWAA_GUIDE = /^https:\/\/docs\.aws\.amazon\.com\/mwaa\/latest\/(userguide|API)\/[\w-]+\.html$/;
/** Rules whose fact is not an MWAA fact (generic AWS or Terraform limits) may cite another public guide. */
const NOT_MWAA_FACTS = new Set(['MWAA-STATE-001', 'MWAA-NAME-002', 'MWAA-IAM-003', 'MWAA-NET-008', 'MWAA-NET-009']);

const RULES = [...SPEC_RULES, ...CROSS_RULES].map((r) => r.meta);

describe('rule references', () => {
  it.each(RULES.map((m) => [m.id, m.reference] as const))('%s cites one public documentation URL', (id, reference) => {
    expect(reference).toMatch(PUBLIC_DOCS);
    if (!NOT_MWAA_FACTS.has(id)) expect(reference).toMatch(MWAA_GUIDE);
  });
});

/** Files a user gets: the package's `files` list (dist/ is compiled from src/ and stacks/, so those are read). */
function shippedFiles(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  const roots = pkg.files.filter((f) => !f.startsWith('!')).flatMap((f) => (f === 'dist/' ? ['src/', 'stacks/', 'main.ts'] : [f]));
  roots.push('README.md', 'docs/');
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) {
      for (const n of fs.readdirSync(abs)) walk(path.join(rel, n));
    } else if (/\.(ts|js|cjs|json|md|ya?ml|txt|sh|py)$|^bin\//.test(rel)) {
      out.push(rel);
    }
  };
  for (const r of roots) walk(r.replace(/\/$/, ''));
  return out;
}

describe('shipped files', () => {
  const files = shippedFiles();

  it('cover the data, schema, templates, workflows, docs and sources', () => {
    for (const f of ['data/configuration-options.json', 'schemas/environment.schema.json', 'docs/rules.md', 'README.md', 'src/rules/index.ts']) expect(files).toContain(f);
  });

  it('never mention mwaa-reference.md (not shipped, not public)', () => {
    const offenders = files.filter((f) => /mwaa-reference/i.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('show no V-xx check ids to users (data, schema, templates, workflows, docs, README, rule metadata)', () => {
    const userFacing = files.filter((f) => !/^(src|stacks)\//.test(f) && f !== 'main.ts');
    const offenders = userFacing.filter((f) => /\bV-\d{2}\b/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(offenders).toEqual([]);
    for (const m of RULES) expect(`${m.description} ${m.reference}`).not.toMatch(/\bV-\d{2}\b|mwaa-reference/);
  });
});
