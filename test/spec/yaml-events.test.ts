/**
 * The YAML parser's fast path (src/spec/yaml-events.ts, js-yaml's event parser) against the `yaml` library's parse
 * (src/spec/yaml.ts): wherever the fast path answers, it answers exactly what `yaml` does (data, types, positions of
 * every value and key, in order), on the examples, on scalars of every core-schema kind, and on thousands of random
 * mutations; and it does answer for the specs people write (otherwise it would be dead weight).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseSimpleYaml } from '../../src/spec/yaml-events';
import { parseYamlText, parseYaml, clearParseCache, parseCacheStats } from '../../src/spec/yaml';
import { REPO_ROOT } from './helpers';
import { mulberry32, mutate } from './mutate';

/** Deep equality that tells 1 from '1', -0 from 0 and NaN from anything else. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (a === null || b === null || typeof a !== 'object') return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** undefined when the fast path declines or agrees with `yaml`; else what differs. */
function disagreement(text: string): string | undefined {
  const fast = parseSimpleYaml(text);
  if (!fast) return undefined;
  const slow = parseYamlText('f.yaml', text);
  if (slow.findings.length > 0) return `yaml finds ${slow.findings.map((f) => `${f.ruleId} ${f.message}`).join('; ')}, the fast path parsed it`;
  if (slow.noCache) return 'yaml would not cache this parse (aliases or deep nesting), the fast path answered';
  if (!same(fast.data, slow.data)) return `data: fast ${JSON.stringify(fast.data)} / yaml ${JSON.stringify(slow.data)}`;
  const flat = (m: Map<string, { line: number; column: number }>) => [...m].map(([p, at]) => [p, at.line, at.column]);
  if (JSON.stringify(fast.positions) !== JSON.stringify(flat(slow.positions))) return `positions: fast ${JSON.stringify(fast.positions)} / yaml ${JSON.stringify(flat(slow.positions))}`;
  if (JSON.stringify(fast.keyPositions) !== JSON.stringify(flat(slow.keyPositions))) return `key positions: fast ${JSON.stringify(fast.keyPositions)} / yaml ${JSON.stringify(flat(slow.keyPositions))}`;
  return undefined;
}

const examples = fs
  .readdirSync(path.join(REPO_ROOT, 'environments'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => fs.readFileSync(path.join(REPO_ROOT, 'environments', f), 'utf8'));

/** Plain scalars of every YAML 1.2 core-schema kind and their near misses (YAML 1.1 spellings, other bases). */
const SCALARS = [
  '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'FALSE', 'yes', 'No', 'on', 'OFF', 'y',
  '0', '-0', '+0', '12', '-12', '+12', '012', '08', '0o14', '0o8', '0O14', '0x1F', '0x1f', '0X1F', '0xG', '0b101', '1_000',
  '1.5', '-1.5', '+.5', '.5', '1.', '1.0', '1e3', '1E3', '1e+3', '1.5e-3', '.5e3', '1e309', '-1e309', '.inf', '-.Inf', '+.INF',
  '.nan', '.NaN', '.NAN', 'NaN', 'inf', '1:30', '190:20:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '12,5',
  '10.0.0.0/16', 'arn:aws:iam::123456789012:role/x', '2.10.3', 'v1', 'a b', 'é', '日本', '9007199254740993', '123456789012',
];

describe('YAML fast path (js-yaml events) agrees with the yaml library', () => {
  it('parses the shipped examples, exactly as yaml does', () => {
    expect(examples.length).toBeGreaterThan(0);
    for (const text of examples) {
      expect(parseSimpleYaml(text)).toBeDefined();
      expect(disagreement(text)).toBeUndefined();
    }
  });

  it('resolves every core-schema scalar kind as yaml does, as values, keys, flow items and quoted', () => {
    let answered = 0;
    for (const s of SCALARS) {
      for (const text of [`a: ${s}\n`, `${s}: a\n`, `a: [${s}, x]\n`, `a: { b: ${s} }\n`, `a:\n  - ${s}\n`, `a: '${s}'\n`, `a: "${s}"\n`, `- ${s}\n`, `${s}\n`]) {
        const d = disagreement(text);
        if (d) throw new Error(`${JSON.stringify(text)}: ${d}`);
        if (parseSimpleYaml(text)) answered++;
      }
    }
    expect(answered).toBeGreaterThan(SCALARS.length * 6);
  });

  it('declines what it does not model, and yaml parses it instead', () => {
    const declined = [
      'a: &x 1\nb: *x\n', // anchors, aliases
      'a: !!str 1\n', // tags
      'a: |\n  x\n', // block scalars
      'a: >\n  x\n',
      'a: "x\\ty"\n', // escapes
      'a: x\n  y\n', // a scalar over two lines
      'a:\nb: 1\n', // an empty value
      '---\na: 1\n', // document markers and directives
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\n---\nb: 2\n',
      'a: 1\na: 2\n', // a duplicate key
      '1: a\n', // a key that is not a string
      '__proto__: 1\n',
      `${'k'.repeat(1100)}: 1\n`, // a key near yaml's 1,024-character limit
      `a: ${'['.repeat(70)}${']'.repeat(70)}\n`, // deeper than the position walk
      'a: [1, 2\n', // a syntax error
      "'': a\n", // an empty key (its path would be the document's)
      'a:\n  b\n', // a scalar on the line after its key, or after its `- `
      '-\n  b\n',
      "a:\n- 'x'b: 1\n", // a key after a closing quote on the same line
      'a: 1\r', // a carriage return that ends no line
      'a: x\u2028y\n',
      '# c\n...\na: 1\n', // a stray document end
    ];
    for (const text of declined) expect({ text, fast: parseSimpleYaml(text) }).toEqual({ text, fast: undefined });
    // and the cached entry point still answers them through yaml
    clearParseCache();
    expect(parseYaml('f.yaml', 'a: &x 1\nb: *x\n').data).toEqual({ a: 1, b: 1 });
    expect(parseYaml('f.yaml', 'a: 1\na: 2\n').findings.map((f) => f.ruleId)).toEqual(['YAML-DUPLICATE-KEY']);
  });

  it('parseYaml takes the fast path for a plain spec (one miss, no yaml parse needed) and caches it', () => {
    clearParseCache();
    const a = parseYaml('one.yaml', examples[0]);
    const b = parseYaml('two.yaml', examples[0]);
    expect(parseCacheStats()).toMatchObject({ hits: 1, misses: 1 });
    expect(b.data).toEqual(a.data);
    expect(b.data).not.toBe(a.data);
    expect([...b.positions.values()].every((p) => p.file === 'two.yaml')).toBe(true);
  });

  /** Pieces of YAML syntax, strung together at random: the shapes mutations of real specs seldom reach. */
  const TOKENS = ['a', 'b', 'key', 'x y', '1', '0x1F', '.5', 'true', '~', 'null', '"q"', "'s'", '"a:b"', "'it''s'", "''", ':', ': ', '- ', '-', '[', ']', '{', '}', ', ', ',', '#c', ' #c', '?', '@', '`', '%', '!', '&', '*', '|', '>', '"', "'", '\n', '\n  ', '\n    ', '\n- ', '\n  - ', ' ', '  ', 'é', '😀', ':x', 'a:b', 'http://x', '- [a, b]', '{a: 1}', '\r\n', '=', '<<', 'k: v\n', '  k2: v2\n'];
  // 5,000 locally; CI sets MWAA_GITOPS_FUZZ_ITERATIONS (3,000), times 5
  const SOUPS = 5 * Number(process.env.MWAA_GITOPS_FUZZ_ITERATIONS ?? 1000);
  it(`agrees with yaml on ${SOUPS} random strings of YAML syntax wherever it answers (seed 12345)`, () => {
    const rnd = mulberry32(12345);
    let answered = 0;
    for (let i = 0; i < SOUPS; i++) {
      let text = '';
      for (let n = 2 + Math.floor(rnd() * 14); n > 0; n--) text += TOKENS[Math.floor(rnd() * TOKENS.length)];
      const d = disagreement(text);
      if (d) throw new Error(`string ${i}: ${d}\n--- input ---\n${JSON.stringify(text)}`);
      if (parseSimpleYaml(text)) answered++;
    }
    expect(answered).toBeGreaterThan(SOUPS / 10);
  });

  // 1,000 mutations locally; CI sets MWAA_GITOPS_FUZZ_ITERATIONS (3,000)
  const ITERATIONS = Number(process.env.MWAA_GITOPS_FUZZ_ITERATIONS ?? 1000);
  it(`agrees with yaml on ${ITERATIONS} random mutations of the examples wherever it answers (seed 7)`, () => {
    const rnd = mulberry32(7);
    let answered = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const text = mutate(examples[i % examples.length], rnd);
      const d = disagreement(text);
      if (d) throw new Error(`mutation ${i}: ${d}\n--- input ---\n${text}`);
      if (parseSimpleYaml(text)) answered++;
    }
    // the mutations reach both sides: many stay plain, many are for yaml
    expect(answered).toBeGreaterThan(ITERATIONS / 5);
    expect(answered).toBeLessThan(ITERATIONS);
  });
});
