/**
 * The data tables the plan model reads, loaded once (bundled with the build): each names its source.
 * - data/replacement-fields.json: spec fields whose change forces a replacement, and the Terraform attributes
 *   the provider replaces on (ForceNew);
 * - data/protected-resources.json: what `protection.preventDestroy` protects, and what each resource type loses when
 *   destroyed or replaced;
 * - data/drift-spec-fields.json: which spec field sets each resource attribute of the stack (drift reports name it).
 */
const replacementTable = require('../../data/replacement-fields.json') as ReplacementTable;
const protectedTable = require('../../data/protected-resources.json') as ProtectedTable;
const driftTable = require('../../data/drift-spec-fields.json') as DriftTable;

export type Subject = 'environment' | 'bucket' | 'key' | 'network' | 'public-network';

export interface ReplacementField {
  field: string;
  /** replaces: Terraform deletes and creates; moves: new resources elsewhere, old ones left behind; refused: AWS rejects it. */
  effect: 'replaces' | 'moves' | 'refused';
  when?: 'major-upgrade' | 'downgrade';
  replaces: Subject[];
  because: string;
}

interface ReplacementTable {
  source: string[];
  retrieved: string;
  fields: ReplacementField[];
  providerForceNew: Record<string, Record<string, { means: string; specFields: string[] }>>;
}

interface ProtectedTable {
  source: string[];
  retrieved: string;
  protectedTypes: string[];
  losses: Record<string, { replace: string; destroy: string }>;
  subjects: Record<Subject, { types: string[]; loss: string | null }>;
}

interface DriftRow {
  address: string;
  attribute: string;
  spec?: string;
  fixed?: string;
}

interface DriftTable {
  source: string[];
  retrieved: string;
  rows: DriftRow[];
}

export const REPLACEMENT_FIELDS: readonly ReplacementField[] = replacementTable.fields;

/** What `protection.preventDestroy` protects: the environment (its metadata database), its bucket and its key. */
export const PROTECTED_TYPES: ReadonlySet<string> = new Set(protectedTable.protectedTypes);

/** The resource types that make up a subject (`environment` -> aws_mwaa_environment). */
export function subjectTypes(subject: Subject): readonly string[] {
  return protectedTable.subjects[subject]?.types ?? [];
}

/** What destroying or replacing a resource of this type loses, in MWAA terms; undefined when nothing notable. */
export function lossOf(type: string, action: 'replace' | 'destroy'): string | undefined {
  return protectedTable.losses[type]?.[action];
}

/** What a subject's replacement loses (the loss of its main resource type). */
export function subjectLoss(subject: Subject, action: 'replace' | 'destroy'): string | undefined {
  const t = protectedTable.subjects[subject]?.loss;
  return t ? lossOf(t, action) : undefined;
}

/** Why a provider replaces a resource of `type` when the attribute at `path` (indexes removed) changes. */
export function forceNewMeaning(type: string, path: string): string | undefined {
  return replacementTable.providerForceNew[type]?.[path.replace(/\[\d+\]/g, '')]?.means;
}

function patternRegex(p: string, kind: 'address' | 'attribute'): RegExp {
  let src = '';
  for (let i = 0; i < p.length; i++) {
    const rest = p.slice(i);
    const cap = /^\{(i|key)\}/.exec(rest);
    if (cap) {
      // {i}: a number; {key}: one map key (the rest of an attribute path, or one name in an address)
      src += cap[1] === 'i' ? '(?<i>\\d+)' : kind === 'attribute' ? '(?<key>.*)' : '(?<key>[^.]+)';
      i += cap[0].length - 1;
    } else if (p[i] === '*') {
      src += kind === 'attribute' ? '.*' : '[^.]*';
    } else {
      src += p[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${src}$`);
}

const DRIFT_ROWS = driftTable.rows.map((r) => ({ ...r, addressRe: patternRegex(r.address, 'address'), attributeRe: patternRegex(r.attribute, 'attribute') }));

export interface SpecFieldRef {
  /** The spec field (dotted path) this attribute comes from. */
  spec?: string;
  /** A setting of the stack no spec field controls. */
  fixed?: string;
}

function specKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

/** The spec field an attribute of a resource maps back to (data/drift-spec-fields.json); undefined if unknown. */
export function specFieldOf(address: string, attribute: string): SpecFieldRef | undefined {
  const addr = address.replace(/\[[^\]]*\]$/, '');
  for (const r of DRIFT_ROWS) {
    const a = r.addressRe.exec(addr);
    if (!a) continue;
    const m = r.attributeRe.exec(attribute);
    if (!m) continue;
    const groups = { ...(a.groups ?? {}), ...(m.groups ?? {}) };
    const spec = r.spec
      ?.replace(/\[\{key\}\]/g, () => (groups.key !== undefined ? specKey(groups.key) : ''))
      .replace(/\{i\}/g, groups.i ?? '')
      .replace(/\{key\}/g, groups.key ?? '');
    return { spec, fixed: r.fixed };
  }
  return undefined;
}
