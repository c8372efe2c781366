/**
 * The validation engine: files -> findings.
 *   parse -> extends overlays -> defaults -> JSON Schema -> typed EnvironmentSpec -> MWAA rules
 *   (per environment) -> cross-file rules (across all environments).
 * Never throws for bad input: every problem, including an exception inside a rule, is a Finding.
 */
import * as path from 'path';
import { sortFindings, type Finding } from '../findings';
import type { Resolution } from '../artifacts/model';
import { resolutionSlot } from '../artifacts/resolution-slot';
import type { CrossRule, RuleContext, SpecRule, Violation } from '../rules/types';
import { discoverEnvironments, ENVIRONMENTS_DIR, resolveTargets } from '../spec/discover';
import { loadEnvironment } from '../spec/load';
import { ARTIFACT_FIELDS } from '../spec/types';
import { isPlainObject } from '../spec/merge';
import { locate } from '../spec/positions';
import { schemaFindings } from '../spec/schema';
import type { ArtifactSpec, EnvironmentSpec, PinnedArtifactSpec, ResolvedDocument } from '../spec/types';

export interface ValidateOptions {
  repoRoot: string;
  /** Today's date for version-lifecycle rules (default: now). */
  today?: Date;
  /** Rule sets to run (default: the registry in src/rules/index.ts); for tests. */
  rules?: { spec?: readonly SpecRule[]; cross?: readonly CrossRule[] };
  /**
   * Results of `validate --resolve` (src/artifacts/resolve.ts) by resolution slot: attached to each environment's
   * requirements side file so the resolution rule (MWAA-REQ-006) reports them. Absent: no resolution findings.
   */
  resolutions?: ReadonlyMap<string, Resolution>;
  /**
   * Resolve only: load (extends, defaults), JSON Schema and the typed spec, but no MWAA or cross-file rules and no
   * side files read. What `diff` needs of a tree: its comparable data is the typed spec when the schema passes, else
   * the resolved document, and neither depends on the rules. `spec` is then set whenever the schema passed.
   */
  resolveOnly?: boolean;
  /** Base files read so far in this batch (src/spec/load.ts `baseReads`); validateFiles makes one per call. */
  baseReads?: Map<string, string>;
}

export interface EnvironmentResult {
  /** Absolute path of the environment file. */
  file: string;
  /** `name` from the spec, when it is a string. */
  name?: string;
  /** The resolved document (extends + defaults), when the file parsed into a mapping. */
  doc?: ResolvedDocument;
  /**
   * The typed spec, present when the schema passed. MWAA rules may still have reported errors:
   * later stages must check `hasErrors(findings)` before using it.
   */
  spec?: EnvironmentSpec;
  findings: Finding[];
}

export interface ValidationReport {
  environments: EnvironmentResult[];
  /** All findings of all environments (base files shared by several reported once), sorted. */
  findings: Finding[];
}

export { ENVIRONMENTS_DIR, discoverEnvironments, resolveTargets };

/**
 * The rule registry, loaded on first use: resolving without rules (`resolveOnly`, as `diff` does) and the commands
 * that only need discovery (`affected`) do not load the rule modules.
 */
function registry(): { SPEC_RULES: readonly SpecRule[]; CROSS_RULES: readonly CrossRule[] } {
  return require('../rules/index') as typeof import('../rules/index');
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** The typed spec from a schema-valid document. */
export function toSpec(doc: ResolvedDocument, artifacts: Record<string, string>): EnvironmentSpec {
  const data = clone(doc.data);
  delete data.extends;
  delete data.$schema;
  const iam = data.iam as Record<string, unknown> | undefined;
  if (iam && iam.permissionsBoundaryArn === null) delete iam.permissionsBoundaryArn;
  const bucket = data.bucket as Record<string, unknown> | undefined;
  if (bucket) {
    for (const f of ARTIFACT_FIELDS) {
      const a = bucket[f];
      if (isPlainObject(a) && typeof a.source === 'string') {
        const spec: ArtifactSpec = {
          source: a.source,
          resolvedPath: artifacts[f] ?? path.resolve(doc.repoRoot, a.source),
          key: typeof a.key === 'string' ? a.key : path.posix.basename(a.source),
        };
        bucket[f] = spec;
      } else if (isPlainObject(a) && typeof a.versionId === 'string' && typeof a.key === 'string') {
        // pinned object version: nothing to upload, nothing local to check (see PinnedArtifactSpec)
        const pinned = (bucket.pinned ?? {}) as Record<string, PinnedArtifactSpec>;
        pinned[f] = { key: a.key, versionId: a.versionId };
        bucket.pinned = pinned;
        delete bucket[f];
      }
    }
  }
  if (doc.imports) data.imports = clone(doc.imports);
  return data as unknown as EnvironmentSpec;
}

function internalFinding(rule: { meta?: { id?: string } }, err: unknown, doc: ResolvedDocument): Finding {
  const id = rule.meta?.id ?? '(unnamed rule)';
  return {
    ruleId: 'MWAA-INTERNAL',
    severity: 'error',
    message: `rule ${id} failed on this spec: ${(err as Error)?.message ?? String(err)}`,
    fix: 'This is a bug in mwaa-gitops, not in your spec; please report it with the spec that triggers it.',
    file: doc.file,
    line: 1,
    column: 1,
    path: '',
  };
}

/** A rule's violation -> located Finding. */
export function violationToFinding(rule: SpecRule | CrossRule, v: Violation, doc: ResolvedDocument): Finding {
  const p = typeof v.path === 'string' ? v.path : '';
  // An artifact violation carries its own file/line/column (requirements.txt, startup script, plugins.zip).
  const own = v.at && typeof v.at.file === 'string' && v.at.line >= 1 ? { file: v.at.file, line: v.at.line, column: Math.max(1, v.at.column) } : undefined;
  const at = own ?? locate(doc, p, v.atKey === true);
  return {
    ruleId: rule.meta.id,
    severity: v.severity ?? rule.meta.severity,
    message: String(v.message),
    fix: v.fix,
    reference: rule.meta.reference,
    file: at.file,
    line: at.line,
    column: at.column,
    path: p,
  };
}

function related(a: string, b: string): boolean {
  return a === b || a === '' || b === '' || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function bestEffortRuleFindings(
  doc: ResolvedDocument,
  artifacts: Record<string, string>,
  schemaPaths: string[],
  opts: ValidateOptions,
  today: Date,
): Finding[] {
  let spec: EnvironmentSpec;
  try {
    spec = toSpec(doc, artifacts);
  } catch {
    return [];
  }
  const ctx: RuleContext = { spec, doc, today };
  const out: Finding[] = [];
  for (const rule of opts.rules?.spec ?? registry().SPEC_RULES) {
    let vs: Violation[];
    try {
      vs = rule.check(ctx);
    } catch {
      continue;
    }
    if (!Array.isArray(vs)) continue;
    for (const v of vs) {
      const p = typeof v?.path === 'string' ? v.path : '';
      if (schemaPaths.some((sp) => related(p, sp))) continue;
      try {
        out.push(violationToFinding(rule, v, doc));
      } catch {
        /* a violation that cannot be located on a mistyped document is dropped */
      }
    }
  }
  return out;
}

/** Attach a `--resolve` result to this environment's requirements (a copy: the side file is shared between environments). */
function attachResolution(doc: ResolvedDocument, opts: ValidateOptions): void {
  const req = doc.artifacts?.requirements;
  const version = isPlainObject(doc.data.airflow) ? doc.data.airflow.version : undefined;
  if (!opts.resolutions || !req || typeof version !== 'string') return;
  const res = opts.resolutions.get(resolutionSlot(req, version));
  if (res) doc.artifacts = { ...doc.artifacts, requirements: { ...req, resolution: res } };
}

interface Loaded {
  result: EnvironmentResult;
  ctx?: RuleContext;
}

function validateOne(file: string, opts: ValidateOptions, text?: string): Loaded {
  const today = opts.today ?? new Date();
  const absFile = path.resolve(opts.repoRoot, file);
  const loaded = loadEnvironment(absFile, { repoRoot: opts.repoRoot, text, readSideFiles: !opts.resolveOnly, baseReads: opts.baseReads });
  const findings = [...loaded.findings];
  const result: EnvironmentResult = { file: absFile, findings };
  const doc = loaded.doc;
  if (path.basename(absFile).startsWith('_') && /\.ya?ml$/i.test(absFile)) {
    // a base (`_defaults.yaml`): not an environment, so "`name` is required" would mislead
    findings.push(overlayFinding(absFile, opts.repoRoot));
    return { result };
  }
  if (!doc) return { result };
  result.doc = doc;
  if (typeof doc.data.name === 'string') result.name = doc.data.name;
  attachResolution(doc, opts);
  const schema = schemaFindings(doc);
  findings.push(...schema);
  if (schema.length > 0) {
    // All errors at once: the MWAA rules still look at the parts of the document the schema accepted.
    // Their verdicts on values related to a schema error (same path, ancestor or descendant) are dropped,
    // and a rule that cannot cope with the mistyped document is skipped silently. No typed spec results.
    if (!opts.resolveOnly) findings.push(...bestEffortRuleFindings(doc, loaded.artifacts, schema.map((f) => f.path), opts, today));
    return { result };
  }
  const spec = toSpec(doc, loaded.artifacts);
  result.spec = spec;
  const ctx: RuleContext = { spec, doc, today };
  if (opts.resolveOnly) return { result };
  for (const rule of opts.rules?.spec ?? registry().SPEC_RULES) {
    try {
      const vs = rule.check(ctx);
      for (const v of vs) findings.push(violationToFinding(rule, v, doc));
    } catch (err) {
      findings.push(internalFinding(rule, err, doc));
    }
  }
  return { result, ctx };
}

function finish(results: Loaded[], opts: ValidateOptions): ValidationReport {
  const ctxs = results.map((r) => r.ctx).filter((c): c is RuleContext => c !== undefined);
  if (ctxs.length > 0) {
    const byFile = new Map(results.map((r) => [r.result.file, r.result]));
    for (const rule of opts.rules?.cross ?? registry().CROSS_RULES) {
      try {
        for (const v of rule.check(ctxs)) {
          const target = v.env && byFile.get(v.env.doc.file);
          if (!target) continue;
          target.findings.push(violationToFinding(rule, v, v.env.doc));
        }
      } catch (err) {
        const doc = ctxs[0].doc;
        byFile.get(doc.file)?.findings.push(internalFinding(rule, err, doc));
      }
    }
  }
  const all: Finding[] = [];
  const seen = new Set<string>();
  for (const { result } of results) {
    sortFindings(result.findings);
    for (const f of result.findings) {
      const k = `${f.file}|${f.line}|${f.column}|${f.ruleId}|${f.message}`;
      if (seen.has(k)) continue;
      seen.add(k);
      all.push(f);
    }
  }
  return { environments: results.map((r) => r.result), findings: sortFindings(all) };
}

/** Validate environment files (paths absolute or relative to repoRoot), cross-file rules included. */
export function validateFiles(files: string[], opts: ValidateOptions): ValidationReport {
  const batch = { ...opts, baseReads: opts.baseReads ?? new Map<string, string>() };
  return finish(
    files.map((f) => validateOne(f, batch)),
    opts,
  );
}

/**
 * Validate one environment given as text (for tests and editors). `file` is its (virtual) path
 * inside repoRoot; `extends` and artifacts resolve from disk relative to it / the repository.
 * Cross-file rules run on this environment alone.
 */
export function validateText(text: string, opts: ValidateOptions & { file: string }): EnvironmentResult {
  return finish([validateOne(opts.file, opts, text)], opts).environments[0];
}

/** The one finding for a base file named as a target: what it is, and which environments to look at instead. */
function overlayFinding(file: string, repoRoot: string): Finding {
  const rel = path.relative(repoRoot, file) || file;
  const users: string[] = [];
  for (const env of discoverEnvironments(repoRoot)) {
    const l = loadEnvironment(env, { repoRoot });
    if (l.doc?.files.includes(file)) users.push(typeof l.doc.data.name === 'string' ? l.doc.data.name : path.basename(env).replace(/\.ya?ml$/i, ''));
  }
  return {
    ruleId: 'SPEC-OVERLAY',
    severity: 'error',
    message: `${rel} is an overlay, not an environment: files named _*.yaml hold settings that environments pull in with \`extends: ./${path.basename(file)}\`, so it has no name of its own and is never validated or deployed by itself.`,
    fix: users.length
      ? `Name an environment that extends it instead (${users.map((u) => `\`${u}\``).join(', ')}), e.g. \`mwaa-gitops show ${users[0]}\`.`
      : `No environment extends it yet: add \`extends: ./${path.basename(file)}\` to an environment file, then name that environment.`,
    file,
    line: 1,
    column: 1,
    path: '',
  };
}
