/**
 * JSON Schema validation (draft-07, ajv) of a resolved document, each ajv error mapped to a
 * located Finding `SCHEMA-<keyword>` that names the key path, the allowed values and a fix.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import schemaJson from '../../schemas/environment.schema.json';
import type { Finding } from '../findings';
import { joinPath, locate } from './positions';
import type { ResolvedDocument } from './types';
import { editDistance } from '../edit-distance';

export const SCHEMA_REFERENCE = 'schemas/environment.schema.json';

let compiled: ValidateFunction | undefined;

/** The compiled validator (compiled once, on first use). */
export function schemaValidator(): ValidateFunction {
  if (!compiled) {
    // ajv loaded here, on first use: `affected` loads the engine for discovery but never validates
    const Ajv = (require('ajv') as typeof import('ajv')).default;
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    compiled = ajv.compile(schemaJson as object);
  }
  return compiled;
}

export { schemaJson };

/** The closest candidate within a typo's distance (case-insensitive), if any. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  if (best !== undefined && bestD <= limit) return best;
  // a prefix of the allowed value (PUBLIC -> PUBLIC_ONLY)
  return w.length >= 3 ? candidates.find((c) => c.toLowerCase().startsWith(w)) : undefined;
}

function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const TYPE_WORDS: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean (true/false)', null: 'null' };

function label(path: string): string {
  return path === '' ? 'the document' : `\`${path}\``;
}

function mapError(e: ErrorObject, doc: ResolvedDocument): Finding | undefined {
  const base = pointerToPath(e.instancePath);
  const parentSchema = (e.parentSchema ?? {}) as { description?: string; properties?: Record<string, unknown>; enum?: unknown[] };
  let path = base;
  let atKey = false;
  let message: string;
  let fix: string;
  const ext = e as ErrorObject & { propertyName?: string };
  switch (e.keyword) {
    case 'if':
    case 'propertyNames':
      return undefined; // the branch's / the name's own errors say what is wrong
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      path = joinPath(base, key);
      atKey = true;
      const allowed = Object.keys(parentSchema.properties ?? {});
      message = `unknown key \`${key}\` in ${label(base)}${allowed.length ? `; allowed keys: ${allowed.join(', ')}` : ''}`;
      const s = suggest(key, allowed);
      fix = s ? `did you mean \`${s}\`?` : allowed.length ? `Remove \`${key}\` or use one of: ${allowed.join(', ')}.` : `Remove \`${key}\`.`;
      if (base === 'encryption' && key === 'keyArn') fix = '`keyArn` only goes with `kms: existing`; set kms: existing or remove keyArn.';
      if (base === 'state' && !s) fix = `\`${key}\` only goes with \`backend: s3\` (bucket, key, region, dynamodbTable); set backend: s3 or remove it.`;
      break;
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      path = base;
      atKey = true;
      message = `${label(joinPath(base, missing))} is required`;
      fix = `Add \`${missing}:\` under ${base === '' ? 'the top level' : `\`${base}\``}.`;
      break;
    }
    case 'type': {
      const want = String((e.params as { type: string | string[] }).type)
        .split(',')
        .map((t) => TYPE_WORDS[t] ?? t)
        .join(' or ');
      message = `${label(path)} must be ${want}, got ${typeOf(e.data)} ${show(e.data)}`;
      fix =
        want.startsWith('a string') && (typeof e.data === 'number' || typeof e.data === 'boolean')
          ? 'Quote the value exactly as intended so YAML keeps it a string (unquoted 2.10 is read as the number 2.1, unquoted True as a boolean).'
          : `Write ${want} here.`;
      break;
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const name = ext.propertyName;
      if (name !== undefined) {
        path = joinPath(base, name);
        atKey = true;
        message = `key \`${name}\` in ${label(base)} must be one of: ${allowed.join(', ')}`;
        const s = suggest(name, allowed);
        fix = s ? `did you mean \`${s}\`?` : `Use one of: ${allowed.join(', ')}.`;
      } else {
        message = `${label(path)} is ${show(e.data)}; allowed values: ${allowed.join(', ')}`;
        const s = typeof e.data === 'string' ? suggest(e.data, allowed) : undefined;
        fix = s ? `did you mean \`${s}\`?` : `Use one of: ${allowed.join(', ')}.`;
      }
      break;
    }
    case 'const': {
      const allowed = String((e.params as { allowedValue: unknown }).allowedValue);
      message = `${label(path)} is ${show(e.data)}; it must be \`${allowed}\``;
      fix = `Set it to \`${allowed}\`.`;
      break;
    }
    case 'pattern': {
      message = `${label(path)} ${show(e.data)} does not have the expected format (${(e.params as { pattern: string }).pattern})`;
      fix = parentSchema.description ?? 'Fix the value.';
      if (ext.propertyName !== undefined) {
        path = joinPath(base, ext.propertyName);
        atKey = true;
      }
      break;
    }
    default:
      message = `${label(path)} ${e.message ?? 'is invalid'}${e.data !== undefined && typeof e.data !== 'object' ? ` (got ${show(e.data)})` : ''}`;
      fix = parentSchema.description ?? 'See schemas/environment.schema.json for the allowed values.';
  }
  const at = locate(doc, path, atKey);
  return {
    ruleId: `SCHEMA-${e.keyword}`,
    severity: 'error',
    message,
    fix,
    reference: SCHEMA_REFERENCE,
    file: at.file,
    line: at.line,
    column: at.column,
    path,
  };
}

/** Validate doc.data against the schema; [] when it conforms. */
export function schemaFindings(doc: ResolvedDocument): Finding[] {
  const validate = schemaValidator();
  if (validate(doc.data)) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  const errors = validate.errors ?? [];
  const typeErrorAt = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const e of errors) {
    // A value of the wrong type is reported once, as a type error (not also as "not one of the allowed values").
    if (e.keyword === 'enum' && typeErrorAt.has(e.instancePath)) continue;
    // airflow.version's enum is for editors (completion, generated from data/airflow-versions.json); a version the
    // table does not know is reported by rule MWAA-AF-002, which suggests the version to move to.
    if (e.keyword === 'enum' && e.instancePath === '/airflow/version' && typeof e.data === 'string') continue;
    const f = mapError(e, doc);
    if (!f) continue;
    const key = `${f.ruleId}|${f.path}|${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}
