/**
 * The security-scan gate's logic, kept free of I/O side effects so unit tests can drive it without checkov:
 * read checkov's JSON report (terraform_json framework) into findings with full resource addresses, load the
 * checked-in allowlist (security/checkov-allowlist.yaml), and compare the two. Any finding the allowlist does not
 * name is unexpected; any allowlist pair (environment, resource) that no finding matches is stale. Either fails.
 * The runner is scripts/scan.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';

/** One failed checkov check on one resource of one synthesized stack. */
export interface Finding {
  check: string;
  title: string;
  /** Environment = the stack directory name (`<out>/stacks/<env>/cdk.tf.json`). */
  env: string;
  /** Terraform address: `aws_s3_bucket.bucket`, `data.aws_iam_policy_document.x`, `provider.aws`. */
  resource: string;
  file: string;
  lines: [number, number];
}

export interface ScanSummary {
  checkovVersion: string;
  passed: number;
  failed: number;
  parsingErrors: number;
  /** Stack files checkov reported at least one result (passed or failed) for. */
  scannedFiles: string[];
  findings: Finding[];
}

export interface AllowEntry {
  check: string;
  environments: string[];
  resources: string[];
  reason: string;
  /** 1-based line of the entry in the allowlist file (for messages). */
  line: number;
}

export interface Comparison {
  allowed: Array<{ finding: Finding; entry: AllowEntry }>;
  unexpected: Finding[];
  /** Allowlist pairs that matched no finding: the entry (or that part of it) is out of date. */
  stale: Array<{ entry: AllowEntry; env: string; resource: string }>;
}

/**
 * Where each resource and data block starts in a synthesized cdk.tf.json. CDKTF writes the file with
 * `JSON.stringify(stack, null, 2)`: block kind at indent 2, type at indent 4, name at indent 6. checkov's
 * terraform_json runner reports single-resource checks as `resource.<name>` (without the type) but with the line
 * range of the block, so the line of the name gives the full address back.
 */
export function blockIndex(text: string): Map<number, string> {
  const index = new Map<number, string>();
  let kind: string | undefined;
  let type: string | undefined;
  text.split('\n').forEach((line, i) => {
    let m = /^ {2}"([^"]+)": \{$/.exec(line);
    if (m) {
      kind = m[1];
      type = undefined;
      return;
    }
    if (kind !== 'resource' && kind !== 'data') return;
    m = /^ {4}"([^"]+)": \{$/.exec(line);
    if (m) {
      type = m[1];
      return;
    }
    m = /^ {6}"([^"]+)": \{(\},?)?$/.exec(line);
    if (m && type) index.set(i + 1, `${kind === 'data' ? 'data.' : ''}${type}.${m[1]}`);
  });
  return index;
}

/** The full address of a checkov result's resource, or an Error saying why it cannot be known. */
export function resolveAddress(reported: string, startLine: number, index: Map<number, string>): string {
  const short = /^(resource|data)\.([^.]+)$/.exec(reported);
  if (!short) return reported; // graph checks and the provider already carry `type.name` / `provider.aws`
  const found = index.get(startLine);
  const expected = short[1] === 'data' ? /^data\.[^.]+\.(.+)$/ : /^[^.]+\.(.+)$/;
  const name = found ? expected.exec(found)?.[1] : undefined;
  if (!found || name !== short[2] || (short[1] === 'data') !== found.startsWith('data.')) {
    throw new Error(`cannot resolve checkov resource "${reported}" at line ${startLine} to a block of the stack`);
  }
  return found;
}

interface CheckovResult {
  check_id: string;
  check_name: string;
  file_abs_path: string;
  file_line_range: [number, number];
  resource: string;
}
interface CheckovReport {
  check_type?: string;
  results?: { passed_checks: CheckovResult[]; failed_checks: CheckovResult[] };
  summary?: { passed: number; failed: number; parsing_errors: number; checkov_version: string };
  passed?: number;
  failed?: number;
  parsing_errors?: number;
  checkov_version?: string;
}

/**
 * checkov's `-o json` output (one report, a list of reports, or the bare summary it prints when it found nothing
 * to scan) -> findings. `readStack` gives the text of a scanned file (for the address lookup).
 */
export function parseCheckovOutput(json: string, readStack: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): ScanSummary {
  const parsed = JSON.parse(json) as CheckovReport | CheckovReport[];
  const reports = Array.isArray(parsed) ? parsed : [parsed];
  const summary: ScanSummary = { checkovVersion: '', passed: 0, failed: 0, parsingErrors: 0, scannedFiles: [], findings: [] };
  const scanned = new Set<string>();
  const indexes = new Map<string, Map<number, string>>();
  for (const r of reports) {
    const s = r.summary ?? { passed: r.passed ?? 0, failed: r.failed ?? 0, parsing_errors: r.parsing_errors ?? 0, checkov_version: r.checkov_version ?? '' };
    summary.checkovVersion ||= s.checkov_version;
    summary.passed += s.passed;
    summary.failed += s.failed;
    summary.parsingErrors += s.parsing_errors;
    if (!r.results) continue;
    for (const c of r.results.passed_checks) scanned.add(c.file_abs_path);
    for (const c of r.results.failed_checks) {
      scanned.add(c.file_abs_path);
      let index = indexes.get(c.file_abs_path);
      if (!index) {
        index = blockIndex(readStack(c.file_abs_path));
        indexes.set(c.file_abs_path, index);
      }
      summary.findings.push({
        check: c.check_id,
        title: c.check_name,
        env: path.basename(path.dirname(c.file_abs_path)),
        resource: resolveAddress(c.resource, c.file_line_range[0], index),
        file: c.file_abs_path,
        lines: c.file_line_range,
      });
    }
  }
  summary.scannedFiles = [...scanned].sort();
  summary.findings.sort((a, b) => a.env.localeCompare(b.env) || a.check.localeCompare(b.check) || a.resource.localeCompare(b.resource));
  return summary;
}

const CHECK_ID = /^CKV2?_[A-Z0-9]+_[0-9]+$/;
const ADDRESS = /^(data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+$|^provider\.[a-z0-9_]+$/;
const KEYS = new Set(['check', 'environments', 'resources', 'reason']);

/** Parses the allowlist; throws one error listing every problem (file:line: what is wrong). */
export function parseAllowlist(text: string, file = 'security/checkov-allowlist.yaml'): AllowEntry[] {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const problems: string[] = doc.errors.map((e) => `${file}: ${e.message}`);
  const lineOf = (offset: number | undefined) => (offset === undefined ? 0 : text.slice(0, offset).split('\n').length);
  const root = doc.get('allow', true) as { items?: Array<{ range?: [number, number, number]; toJSON(): unknown }> } | undefined;
  const top = doc.toJSON() as Record<string, unknown> | null;
  if (!top || typeof top !== 'object' || Object.keys(top).some((k) => k !== 'allow') || !Array.isArray(top.allow)) {
    problems.push(`${file}: the file must hold one key, \`allow\`, a list of entries`);
  }
  const entries: AllowEntry[] = [];
  const seen = new Map<string, number>();
  (root?.items ?? []).forEach((node) => {
    const line = lineOf(node.range?.[0]);
    const at = `${file}:${line}`;
    const e = node.toJSON() as Record<string, unknown>;
    if (!e || typeof e !== 'object' || Array.isArray(e)) {
      problems.push(`${at}: an entry is a mapping with check, environments, resources, reason`);
      return;
    }
    for (const k of Object.keys(e)) if (!KEYS.has(k)) problems.push(`${at}: unknown key \`${k}\` (expected check, environments, resources, reason)`);
    const check = e.check;
    if (typeof check !== 'string' || !CHECK_ID.test(check)) problems.push(`${at}: \`check\` must be a checkov check id such as CKV_AWS_18`);
    const list = (key: 'environments' | 'resources', valid: (s: string) => boolean, what: string): string[] => {
      const v = e[key];
      if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || !valid(x))) {
        problems.push(`${at}: \`${key}\` must be a non-empty list of ${what}`);
        return [];
      }
      return v as string[];
    };
    const environments = list('environments', (s) => /^[A-Za-z][A-Za-z0-9_-]*$/.test(s), 'environment names');
    const resources = list('resources', (s) => ADDRESS.test(s), 'Terraform addresses (type.name)');
    const reason = e.reason;
    if (typeof reason !== 'string' || reason.trim().length < 30) problems.push(`${at}: \`reason\` must say why the finding is by design (at least 30 characters)`);
    for (const env of environments) {
      for (const res of resources) {
        const key = `${String(check)} ${env} ${res}`;
        const prev = seen.get(key);
        if (prev !== undefined) problems.push(`${at}: ${key} is already allowed by the entry at line ${prev}`);
        else seen.set(key, line);
      }
    }
    entries.push({ check: String(check), environments, resources, reason: String(reason ?? '').trim(), line });
  });
  if (problems.length) throw new Error(problems.join('\n'));
  return entries;
}

export function compare(findings: Finding[], allowlist: AllowEntry[]): Comparison {
  const result: Comparison = { allowed: [], unexpected: [], stale: [] };
  const used = new Set<string>();
  for (const f of findings) {
    const entry = allowlist.find((a) => a.check === f.check && a.environments.includes(f.env) && a.resources.includes(f.resource));
    if (entry) {
      result.allowed.push({ finding: f, entry });
      used.add(`${entry.line} ${f.env} ${f.resource}`);
    } else {
      result.unexpected.push(f);
    }
  }
  for (const entry of allowlist) {
    for (const env of entry.environments) {
      for (const resource of entry.resources) if (!used.has(`${entry.line} ${env} ${resource}`)) result.stale.push({ entry, env, resource });
    }
  }
  return result;
}

/** The human report: counts first, then what fails (unexpected findings, stale entries), nothing else. */
export function formatComparison(summary: ScanSummary, cmp: Comparison, opts: { stacks: number; allowlistFile: string; relativeTo?: string }): string {
  const rel = (f: string) => (opts.relativeTo ? path.relative(opts.relativeTo, f) : f);
  const out: string[] = [];
  out.push(
    `checkov ${summary.checkovVersion} (terraform_json) on ${opts.stacks} synthesized stacks: ${summary.passed} checks passed, ` +
      `${cmp.allowed.length + cmp.unexpected.length} findings: ${cmp.allowed.length} allowlisted, ${cmp.unexpected.length} unexpected; ` +
      `${cmp.stale.length} stale allowlist pairs`,
  );
  if (cmp.unexpected.length) {
    out.push('', `Unexpected findings (fix the stack; or, if the finding is by design, add it to ${opts.allowlistFile} with the reason):`);
    for (const f of cmp.unexpected) {
      out.push(`  ${f.check}  ${f.env}  ${f.resource}`, `      ${f.title}`, `      ${rel(f.file)}:${f.lines[0]}-${f.lines[1]}`);
    }
  }
  if (cmp.stale.length) {
    out.push('', `Stale allowlist entries (nothing matches them any more: remove them from ${opts.allowlistFile}, or fix the scope):`);
    for (const s of cmp.stale) out.push(`  ${opts.allowlistFile}:${s.entry.line}  ${s.entry.check}  ${s.env}  ${s.resource}`);
  }
  if (!cmp.unexpected.length && !cmp.stale.length) out.push('security scan passed: every finding is allowlisted with a reason, and every allowlist entry still matches.');
  return out.join('\n') + '\n';
}
