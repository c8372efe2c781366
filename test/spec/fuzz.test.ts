/**
 * Random mutations of the valid example specs (fixed seed): the engine must never throw, and every
 * finding must be located (file, line >= 1, column >= 1) and carry a rule id and a message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { validateText } from '../../src/engine/validate';
import { REPO_ROOT } from './helpers';
import { mulberry32, mutate } from './mutate';

describe('fuzz: mutated example specs', () => {
  const dir = path.join(REPO_ROOT, 'environments');
  const seeds = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  // 1,000 in a local npm test, 3,000 in CI (.ci/run sets MWAA_GITOPS_FUZZ_ITERATIONS); the seed is fixed, so each
  // count is the same mutations every run, and the smaller is the first 1,000 of the larger
  const ITERATIONS = Number(process.env.MWAA_GITOPS_FUZZ_ITERATIONS ?? 1000);

  it(`never throws and always locates findings (${ITERATIONS} mutations, seed 20240601)`, () => {
    const rnd = mulberry32(20240601);
    const ruleIds = new Set<string>();
    let invalid = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const text = mutate(seeds[i % seeds.length], rnd);
      const file = path.join(dir, `fuzz-${i % 7}.yaml`);
      let result;
      try {
        result = validateText(text, { repoRoot: REPO_ROOT, file, today: new Date('2025-06-01T00:00:00Z') });
      } catch (err) {
        throw new Error(`mutation ${i} threw ${(err as Error).stack}\n--- input ---\n${text}`);
      }
      if (result.findings.some((f) => f.severity === 'error')) invalid++;
      for (const f of result.findings) {
        ruleIds.add(f.ruleId);
        const ok =
          typeof f.file === 'string' && f.file.length > 0 && Number.isInteger(f.line) && f.line >= 1 && Number.isInteger(f.column) && f.column >= 1 && typeof f.ruleId === 'string' && f.ruleId.length > 0 && typeof f.message === 'string' && f.message.length > 0;
        if (!ok) throw new Error(`mutation ${i}: malformed finding ${JSON.stringify(f)}\n--- input ---\n${text}`);
        expect(f.ruleId).not.toBe('MWAA-INTERNAL');
      }
    }
    // the mutations do reach the parser, the overlays, the schema and the rules
    expect(invalid).toBeGreaterThan(ITERATIONS / 3);
    expect([...ruleIds].some((id) => id.startsWith('YAML-'))).toBe(true);
    expect([...ruleIds].some((id) => id.startsWith('SCHEMA-'))).toBe(true);
    expect([...ruleIds].some((id) => id.startsWith('MWAA-'))).toBe(true);
  });
});
