/**
 * Artifact rules: every case has a failing fixture (real files in a temporary repository) whose finding points at
 * the artifact's own file and line, and a passing fixture on which the rule stays silent.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Resolution } from '../../src/artifacts/model';
import { resolutionSlot } from '../../src/artifacts/resolution-slot';
import { validateText } from '../../src/engine/validate';
import type { Finding } from '../../src/findings';
import { ARTIFACT_CASES, caseSpec, writeRepo, type ArtifactCase, type Files } from './artifact-cases';
import { lineOf, TODAY, toYaml } from './fixture';

function run(c: ArtifactCase, files: Files, overrides: Record<string, unknown> | undefined, resolve: boolean): { findings: Finding[]; root: string; text: string } {
  const root = writeRepo(files);
  const text = toYaml(caseSpec(overrides));
  const file = path.join(root, 'environments', 'x.yaml');
  fs.writeFileSync(file, text);
  let resolutions: Map<string, Resolution> | undefined;
  if (resolve && c.resolution) {
    // the slot is computed from the loaded side file, exactly as validate --resolve does
    const first = validateText(text, { file, repoRoot: root, today: TODAY });
    const req = first.doc?.artifacts?.requirements;
    if (!req) throw new Error('no requirements side file');
    resolutions = new Map([[resolutionSlot(req, '2.10.3'), c.resolution(req.file)]]);
  }
  const findings = validateText(text, { file, repoRoot: root, today: TODAY, resolutions }).findings;
  return { findings, root, text };
}

describe.each(ARTIFACT_CASES)('$id: $name', (c) => {
  test('fails at the artifact file and line', () => {
    const { findings, root, text } = run(c, c.bad, c.spec, true);
    const mine = findings.filter((f) => f.ruleId === c.id);
    const expectedFile = fs.realpathSync(path.join(root, c.at.file));
    const expectedLine = c.at.line > 0 ? c.at.line : lineOf(text, 'plugins:', 'bucket:');
    const hit = mine.find((f) => f.file === expectedFile && f.line === expectedLine);
    if (!hit) throw new Error(`no ${c.id} at ${c.at.file}:${expectedLine}; got ${JSON.stringify(findings.map((f) => [f.ruleId, path.relative(root, f.file), f.line, f.column, f.message]), null, 1)}`);
    if (c.at.column !== undefined) expect(hit.column).toBe(c.at.column);
    expect(hit.severity).toBe(c.severity ?? 'error');
    expect(hit.message.length).toBeGreaterThan(20);
    expect(hit.fix).toBeTruthy();
    expect(hit.reference).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/mwaa\/latest\/userguide\/[a-z-]+\.html$/);
  });
  test('passes on the corrected files', () => {
    const { findings, root } = run(c, c.good, c.goodSpec ?? c.spec, false);
    const mine = findings.filter((f) => f.ruleId === c.id);
    if (mine.length > 0) throw new Error(`unexpected ${JSON.stringify(mine.map((f) => [path.relative(root, f.file), f.line, f.message]))}`);
    expect(findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });
});
