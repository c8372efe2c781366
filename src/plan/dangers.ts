/**
 * Dangers: what a change destroys, replaces or cannot do, said in MWAA terms, most important first. Pure.
 *
 * Two sources, one list:
 * - the spec diff alone (no plan needed): a change of a field in data/replacement-fields.json (name, region, account,
 *   network, KMS, endpoint management, bucket, a major Airflow version, a downgrade) is a danger as soon as it is
 *   written, so `diff` and the PR comment show it even when no plan ran or the plan failed;
 * - the plan: every destroy and replacement Terraform will do.
 * With a plan, each spec danger is confirmed (Terraform replaces or refuses to replace what it predicted) or refined
 * (the plan does not replace it, e.g. the environment was never applied); plan dangers no spec danger explains are
 * listed on their own.
 */
import { maskSpecValue } from '../report/mask';
import { compareVersions } from '../rules/data';
import { REPLACEMENT_FIELDS, subjectLoss, subjectTypes, type ReplacementField, type Subject } from './facts';
import { dangerousResources, type EnvironmentPlan } from './model';

export type PlanEvidence =
  /** Terraform plans the replacement (or refused it: prevent_destroy). */
  | 'confirmed'
  /** The plan exists and does not replace it. */
  | 'not-in-plan'
  /** The plan failed: Terraform did not check it. */
  | 'plan-failed'
  /** No plan (diff, or a comment rendered before the plan ran). */
  | 'not-planned';

export interface SpecCause {
  field: string;
  before: string;
  after: string;
}

export interface Danger {
  environment: string;
  effect: 'replaces' | 'destroys' | 'moves' | 'refused';
  /** What is lost: the environment, its bucket, key or network; `resource` for a plan danger of another resource. */
  subject: Subject | 'resource';
  /** A plan danger: the resource address. */
  address?: string;
  /** The environment is protected after the change (apply will refuse a replacement of a protected resource). */
  protected: boolean;
  /** The change also turns protection off: apply will not refuse. */
  protectionRemoved?: boolean;
  loss?: string;
  because?: string;
  /** Spec fields that cause it (values masked). */
  causes: SpecCause[];
  /** Plan evidence for a spec danger; plan dangers are their own evidence. */
  evidence?: PlanEvidence;
  /** Plan addresses that confirm it, with what forces them. */
  confirmedBy?: Array<{ address: string; action: string; forcedBy: string[] }>;
  source: 'spec' | 'plan';
}

type Data = Record<string, unknown> | undefined;

function get(data: Data, path: string): unknown {
  let v: unknown = data;
  for (const k of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function shown(path: string, v: unknown): string {
  if (v === undefined) return '(unset)';
  const m = maskSpecValue(path.split('.'), v);
  return typeof m === 'string' ? m : JSON.stringify(m);
}

function versionParts(v: unknown): number[] | undefined {
  if (typeof v !== 'string' || !/^\d+(\.\d+)*$/.test(v)) return undefined;
  return v.split('.').map(Number);
}

function fieldMatches(f: ReplacementField, before: Data, after: Data): boolean {
  const b = get(before, f.field);
  const a = get(after, f.field);
  if (same(a, b)) return false;
  if (f.field === 'airflow.version') {
    const vb = versionParts(b);
    const va = versionParts(a);
    if (!vb || !va) return false;
    if (f.when === 'major-upgrade') return va[0] > vb[0];
    if (f.when === 'downgrade') return compareVersions(va.join('.'), vb.join('.')) < 0;
    return false;
  }
  return true;
}

const isProtected = (d: Data) => get(d, 'protection.preventDestroy') === true;

/**
 * Dangers a spec change implies, before any plan: one per effect and subject, with every field causing it.
 * `before` and `after` are the resolved specs (plain data); a new or deleted environment has none.
 */
export function specDangers(environment: string, before: Data, after: Data): Danger[] {
  if (!before || !after) return [];
  const out = new Map<string, Danger>();
  const prot = isProtected(after);
  const removed = isProtected(before) && !prot;
  for (const f of REPLACEMENT_FIELDS) {
    if (!fieldMatches(f, before, after)) continue;
    const cause: SpecCause = { field: f.field, before: shown(f.field, get(before, f.field)), after: shown(f.field, get(after, f.field)) };
    const effect = f.effect === 'refused' ? 'refused' : f.effect === 'moves' ? 'moves' : 'replaces';
    // one danger per (effect, first subject); the environment subsumes its network
    const subject: Subject = f.replaces[0];
    const key = `${effect}:${subject}`;
    const existing = out.get(key);
    if (existing) {
      if (!existing.causes.some((c) => c.field === cause.field)) existing.causes.push(cause);
      continue;
    }
    out.set(key, {
      environment,
      effect,
      subject,
      protected: prot && (subject === 'environment' || subject === 'bucket' || subject === 'key'),
      protectionRemoved: removed || undefined,
      loss: effect === 'moves' ? undefined : subjectLoss(subject, 'replace'),
      because: f.because,
      causes: [cause],
      source: 'spec',
      evidence: 'not-planned',
    });
  }
  return [...out.values()].sort((a, b) => rank(a) - rank(b));
}

function rank(d: Danger): number {
  const s: Record<string, number> = { environment: 0, bucket: 1, key: 2, network: 3, 'public-network': 4, resource: 5 };
  return (d.protected ? 0 : 10) + (s[d.subject] ?? 9);
}

/** The plan's own dangers: every destroy and replacement. */
export function planDangers(plan: EnvironmentPlan): Danger[] {
  return dangerousResources(plan).map((r) => ({
    environment: plan.environment,
    effect: r.action === 'delete' ? 'destroys' : 'replaces',
    subject: 'resource',
    address: r.address,
    protected: r.protectedResource,
    loss: r.loss,
    because: r.forcedMeaning.length ? `changing ${r.forcedMeaning.join(', ')} forces it` : undefined,
    causes: [],
    confirmedBy: [{ address: r.address, action: r.action, forcedBy: r.forcedBy }],
    source: 'plan',
  }));
}

const REFUSED = /Resource (\S+) has lifecycle\.prevent_destroy set/g;

/** Addresses Terraform refused to destroy (prevent_destroy) according to a plan error. */
export function refusedAddresses(error: string): string[] {
  return [...error.matchAll(REFUSED)].map((m) => m[1]);
}

function covers(d: Danger, r: { address: string; type: string }): boolean {
  if (d.subject === 'resource') return false;
  const types = new Set((d.effect === 'moves' ? [] : [d.subject]).flatMap((s) => subjectTypes(s as Subject)));
  if (d.subject === 'environment') for (const t of subjectTypes('network')) types.add(t);
  return types.has(r.type);
}

/**
 * Spec dangers checked against the plan (when there is one) plus the plan dangers no spec danger explains.
 * `plan` undefined: not planned; `plan.error`: the plan failed (prevent_destroy refusals still confirm).
 */
export function mergeDangers(spec: Danger[], plan: EnvironmentPlan | undefined): Danger[] {
  const fromPlan = plan && !plan.error ? planDangers(plan) : [];
  const used = new Set<string>();
  const merged = spec.map((d) => {
    if (!plan) return { ...d, evidence: 'not-planned' as const };
    if (plan.error) {
      const refused = refusedAddresses(plan.error).filter((a) => covers(d, { address: a, type: a.split('.')[0] }));
      return refused.length
        ? { ...d, evidence: 'confirmed' as const, confirmedBy: refused.map((address) => ({ address, action: 'refused (prevent_destroy)', forcedBy: [] })) }
        : { ...d, evidence: 'plan-failed' as const };
    }
    if (d.effect === 'moves' || d.effect === 'refused') return { ...d, evidence: 'not-in-plan' as const };
    const hits = fromPlan.filter((p) => p.address && covers(d, { address: p.address, type: p.address.split('.')[0] }));
    hits.forEach((h) => used.add(h.address!));
    if (!hits.length) return { ...d, evidence: 'not-in-plan' as const };
    return {
      ...d,
      evidence: 'confirmed' as const,
      protected: d.protected || hits.some((h) => h.protected),
      confirmedBy: hits.flatMap((h) => h.confirmedBy ?? []),
    };
  });
  const rest = fromPlan.filter((p) => !used.has(p.address!));
  return [...merged, ...rest].sort((a, b) => rank(a) - rank(b));
}

/** Dangers that stand (not refuted by the plan). */
export function standing(dangers: Danger[]): Danger[] {
  return dangers.filter((d) => d.evidence !== 'not-in-plan' || d.effect === 'refused' || d.effect === 'moves');
}
