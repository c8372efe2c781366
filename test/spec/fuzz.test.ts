/**
 * Random mutations of the valid example specs (fixed seed): the engine must never throw, and every
 * finding must be located (file, line >= 1, column >= 1) and carry a rule id and a message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { validateText } from '../../src/engine/validate';
import { REPO_ROOT } from './helpers';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNIPPETS = ['\t', '&a ', '*a', '*nope', '<<: *a', '{', '}', '[', ']', ': ', '- ', '"', "'", '#', '|', '>', '!!binary ', '!Ref ', '~', 'null', '0x1F', '1e309', '-.inf', '\u0000', '\u202e', '日本語', '😀', '\ufeff', '${aws}', '%{x}', '---\n', '...\n', '? ', '__proto__: 1\n', 'constructor: 1\n', '\r\n', '  ', 'extends: ./_defaults.yaml\n', 'extends: ../../etc/passwd\n', 'extends: ./analytics-dev.yaml\n', 'source: ../../../etc/hosts'];
const TYPE_SWAPS: Array<[RegExp, string]> = [
  [/"2\.10\.3"/, '2.10'],
  [/\{ min: (\d+), max: (\d+) \}/, '[1, 2]'],
  [/mode: create/, 'mode: [create]'],
  [/routing: \w+/, 'routing: 7'],
  [/kms: [\w-]+/, 'kms: {}'],
  [/tags:/, 'tags: 5\nx:'],
  [/\[([^\]]*)\]/, '"$1"'],
  [/: true/, ': "yes"'],
  [/: ("[^"]*")/, ': [$1]'],
  [/apiVersion: .*/, 'apiVersion: null'],
];

function mutate(text: string, rnd: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const pos = () => Math.floor(rnd() * (text.length + 1));
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) {
    const op = Math.floor(rnd() * 9);
    const p = pos();
    switch (op) {
      case 0: // delete a run of characters
        text = text.slice(0, p) + text.slice(p + 1 + Math.floor(rnd() * 8));
        break;
      case 1: { // duplicate a line (often a duplicate key)
        const lines = text.split('\n');
        const l = Math.floor(rnd() * lines.length);
        lines.splice(l, 0, lines[l]);
        text = lines.join('\n');
        break;
      }
      case 2: { // swap two characters
        const q = pos();
        const a = text.split('');
        [a[p], a[q]] = [a[q], a[p]];
        text = a.join('');
        break;
      }
      case 3: // insert a snippet
        text = text.slice(0, p) + pick(SNIPPETS) + text.slice(p);
        break;
      case 4: { // change a type
        const [re, rep] = pick(TYPE_SWAPS);
        text = text.replace(re, rep);
        break;
      }
      case 5: // truncate
        text = text.slice(0, p);
        break;
      case 6: { // swap two lines
        const lines = text.split('\n');
        const a = Math.floor(rnd() * lines.length);
        const b = Math.floor(rnd() * lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        text = lines.join('\n');
        break;
      }
      case 7: { // re-indent a line
        const lines = text.split('\n');
        const l = Math.floor(rnd() * lines.length);
        lines[l] = (rnd() < 0.5 ? ' ' : '\t') + lines[l].replace(/^ /, rnd() < 0.5 ? '' : ' ');
        text = lines.join('\n');
        break;
      }
      default: // anchors and aliases
        text = text.replace(/^(\w+):/m, '$1: &a').replace(/\n(\w+):.*$/m, '\n$1: *a');
    }
  }
  return text;
}

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
