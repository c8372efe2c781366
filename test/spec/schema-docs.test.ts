/**
 * The schema documents itself to editors: every property has a description, and airflow.version completes from an
 * enum that the build generates from data/airflow-versions.json (scripts/gen-schema-versions.cjs).
 */
import * as fs from 'fs';
import * as path from 'path';
import { lint, problems, spec, toYaml } from '../rules/fixture';

const gen = require('../../scripts/gen-schema-versions.cjs') as {
  render(text: string, versions: string[]): string;
  versionEnum(data?: unknown): string[];
  SCHEMA: string;
};

const SCHEMA_TEXT = fs.readFileSync(gen.SCHEMA, 'utf8');
const schema = JSON.parse(SCHEMA_TEXT) as Record<string, unknown>;
const data = JSON.parse(fs.readFileSync(path.join(__dirname, '../../data/airflow-versions.json'), 'utf8')) as { versions: Array<{ version: string }> };

type Node = Record<string, unknown>;

function resolve(node: Node): Node {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const name = ref.replace('#/definitions/', '');
  return (schema.definitions as Record<string, Node>)[name];
}

/** Every property declaration (`properties` and `patternProperties` entries), with its path; `if` conditions are not declarations. */
function properties(node: unknown, at: string, out: Array<[string, Node]> = []): Array<[string, Node]> {
  if (!node || typeof node !== 'object') return out;
  const n = node as Node;
  for (const key of ['properties', 'patternProperties']) {
    for (const [name, sub] of Object.entries((n[key] as Record<string, Node>) ?? {})) {
      out.push([`${at}.${name}`, sub]);
      properties(sub, `${at}.${name}`, out);
    }
  }
  for (const key of ['items', 'additionalProperties', 'then', 'else']) if (n[key] && typeof n[key] === 'object') properties(n[key], at, out);
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const sub of (n[key] as unknown[]) ?? []) properties(sub, at, out);
  if (at === '') for (const [name, def] of Object.entries((n.definitions as Record<string, Node>) ?? {})) properties(def, `#${name}`, out);
  return out;
}

describe('schema documentation', () => {
  it('is draft-07', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('every property has a non-empty description (its own, or that of the definition it refers to)', () => {
    const all = properties(schema, '');
    expect(all.length).toBeGreaterThan(60);
    const missing = all.filter(([, node]) => {
      const own = node.description;
      const target = resolve(node).description;
      return !(typeof own === 'string' && own.trim() !== '') && !(typeof target === 'string' && target.trim() !== '');
    });
    expect(missing.map(([p]) => p)).toEqual([]);
  });
});

describe('airflow.version enum', () => {
  const version = ((schema.definitions as Record<string, Node>).airflow.properties as Record<string, Node>).version;

  it('lists exactly the versions of data/airflow-versions.json, newest first', () => {
    const fromData = data.versions.map((v) => v.version);
    expect([...(version.enum as string[])].sort()).toEqual([...fromData].sort());
    expect(version.enum).toEqual(gen.versionEnum());
  });

  it('the checked-in schema is what the build step writes (regenerate: node scripts/gen-schema-versions.cjs)', () => {
    expect(gen.render(SCHEMA_TEXT, gen.versionEnum())).toBe(SCHEMA_TEXT);
  });

  it('the build step follows the data: a new version in the table changes the enum, and only the enum', () => {
    const next = gen.render(SCHEMA_TEXT, gen.versionEnum({ versions: [{ version: '9.9.9' }, ...data.versions] }));
    const parsed = JSON.parse(next) as Node;
    expect((((parsed.definitions as Record<string, Node>).airflow.properties as Record<string, Node>).version.enum as string[])[0]).toBe('9.9.9');
    const before = SCHEMA_TEXT.split('\n');
    const after = next.split('\n');
    expect(after.length).toBe(before.length);
    expect(after.filter((l, i) => l !== before[i])).toHaveLength(1);
  });

  it('in validation: an unknown version gets the rule\'s message (with a suggestion), an unquoted one a single type error', () => {
    const unknown = problems(lint(toYaml(spec({ 'airflow.version': '2.3.0' })))).filter((f) => f.path === 'airflow.version');
    expect(unknown.map((f) => f.ruleId)).toEqual(['MWAA-AF-002']);
    const unquoted = problems(lint(toYaml(spec({ 'airflow.version': 2.1 })))).filter((f) => f.path === 'airflow.version');
    expect(unquoted.map((f) => f.ruleId)).toEqual(['SCHEMA-type']);
  });
});
