/**
 * The schema's validator precompiled by the build (ajv standalone, src/spec/schema.ts) answers exactly as the
 * validator ajv compiles at run time, and a precompiled module made from another schema is never used.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import type { ValidateFunction } from 'ajv';
import { loadEnvironment } from '../../src/spec/load';
import { compileSchema, precompiledModuleSource, precompiledValidator, schemaDigest } from '../../src/spec/schema';
import { REPO_ROOT } from './helpers';

/** The generated module's source evaluated as a CommonJS module (its requires resolve from src/spec/). */
function evaluate(source: string): unknown {
  const mod = { exports: {} as unknown };
  const req = require('module').createRequire(path.join(REPO_ROOT, 'src', 'spec', 'schema.ts')) as NodeRequire;
  new Function('module', 'exports', 'require', source)(mod, mod.exports, req);
  return mod.exports;
}

const source = precompiledModuleSource();
const runtime = compileSchema();
const pre = precompiledValidator(evaluate(source));

function verdict(v: ValidateFunction, data: unknown): { ok: boolean; errors: unknown } {
  const ok = v(data) as boolean;
  return { ok, errors: JSON.parse(JSON.stringify(v.errors ?? null)) };
}

function docs(): Array<{ name: string; data: Record<string, unknown> }> {
  const out: Array<{ name: string; data: Record<string, unknown> }> = [];
  const dirs = [path.join(REPO_ROOT, 'environments'), path.join(REPO_ROOT, 'test', 'fixtures', 'bad-specs')];
  for (const dir of dirs) {
    for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
      const l = loadEnvironment(path.join(dir, f), { repoRoot: REPO_ROOT, readSideFiles: false });
      if (l.doc) out.push({ name: f, data: l.doc.data });
    }
  }
  return out;
}

describe('precompiled schema validator', () => {
  it('is accepted when made from this schema and these options', () => {
    expect(pre).toBeDefined();
    expect(source).toContain(schemaDigest());
  });

  it('gives the same verdict and the same errors as the runtime compile on every example and bad spec', () => {
    const all = docs();
    expect(all.length).toBeGreaterThan(60);
    let invalid = 0;
    for (const d of all) {
      const a = verdict(runtime, d.data);
      if (!a.ok) invalid++;
      expect({ name: d.name, ...verdict(pre!, d.data) }).toEqual({ name: d.name, ...a });
    }
    expect(invalid).toBeGreaterThan(20);
  });

  it('same on generated changes of a valid spec (any value at any path)', () => {
    const base = docs().find((d) => d.name === 'analytics-prod.yaml')!.data;
    const paths: string[][] = [];
    const walk = (v: unknown, p: string[]) => {
      paths.push(p);
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...p, k]);
    };
    walk(base, []);
    fc.assert(
      fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0)), fc.jsonValue({ maxDepth: 2 }), (p, value) => {
        const data = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
        let o = data as Record<string, unknown>;
        for (const k of p.slice(0, -1)) o = o[k] as Record<string, unknown>;
        o[p[p.length - 1]] = value;
        expect(verdict(pre!, data)).toEqual(verdict(runtime, data));
      }),
      { numRuns: 300 },
    );
  });

  it('is refused when made from another schema (a stale build) or when it is not a validator', () => {
    const stale = evaluate(source.replace(/schemaSha256 = "[0-9a-f]+"/, `schemaSha256 = "${'0'.repeat(64)}"`));
    expect(precompiledValidator(stale)).toBeUndefined();
    expect(precompiledValidator(evaluate(source.replace(/\nmodule\.exports\.schemaSha256 = .*\n$/, '\n')))).toBeUndefined();
    expect(precompiledValidator({ schemaSha256: schemaDigest() })).toBeUndefined();
    expect(precompiledValidator(undefined)).toBeUndefined();
  });
});
