/**
 * Shared fixture for rule tests: a minimal valid environment spec as YAML text, with overrides,
 * validated through the real engine (validateText). Expected lines are found in the generated text.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { strToU8, zipSync } from 'fflate';
import { stringify } from 'yaml';
import type { Finding } from '../../src/findings';
import { validateFiles, validateText } from '../../src/engine/validate';

export const TODAY = new Date('2026-11-25T00:00:00Z');

/** A temporary repository with the artifact files the fixture may reference. */
export function makeRepo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-rules-'));
  fs.mkdirSync(path.join(root, 'environments'));
  fs.mkdirSync(path.join(root, 'airflow'));
  fs.writeFileSync(path.join(root, 'airflow', 'requirements.txt'), 'boto3\n');
  // a real archive with a custom plugin (MWAA-CFG-010 judges the archive's content)
  fs.writeFileSync(
    path.join(root, 'airflow', 'plugins.zip'),
    zipSync({ 'hello_plugin.py': strToU8('from airflow.plugins_manager import AirflowPlugin\n\nclass Hello(AirflowPlugin):\n    name = "hello"\n') }),
  );
  fs.writeFileSync(path.join(root, 'airflow', 'plugins.tar'), 'x');
  fs.writeFileSync(path.join(root, 'airflow', 'startup.sh'), '#!/bin/sh\n');
  return root;
}

export const REPO = makeRepo();

export type Spec = Record<string, unknown>;

/** The base spec: every field explicit, valid, no rule findings. */
export function baseSpec(): Spec {
  return {
    apiVersion: 'mwaa-gitops/v1',
    name: 'analytics-dev',
    region: 'us-east-1',
    account: '111122223333',
    tags: { team: 'data-platform' },
    airflow: {
      version: '2.10.3',
      environmentClass: 'mw1.small',
      schedulers: 2,
      workers: { min: 1, max: 5 },
      webservers: { min: 2, max: 2 },
      webserverAccess: 'PUBLIC_ONLY',
      endpointManagement: 'SERVICE',
      maintenanceWindow: 'SUN:03:00',
      configuration: { 'core.default_task_retries': '2' },
      logging: {
        dagProcessing: { level: 'WARNING', enabled: true },
        scheduler: { level: 'WARNING', enabled: true },
        task: { level: 'INFO', enabled: true },
        worker: { level: 'WARNING', enabled: true },
        webserver: { level: 'ERROR', enabled: true },
        retentionDays: 30,
      },
    },
    network: {
      mode: 'create',
      routing: 'public',
      vpcCidr: '10.192.0.0/16',
      publicSubnets: ['10.192.10.0/24', '10.192.11.0/24'],
      privateSubnets: ['10.192.20.0/24', '10.192.21.0/24'],
      natGateways: 'perAz',
      webAccessCidrs: [],
    },
    bucket: { name: 'acme-analytics-dev-airflow', dagsPath: 'dags', noncurrentVersionExpirationDays: 30 },
    encryption: { kms: 'aws-owned' },
    iam: { extraPolicyStatements: [], webAccess: { Admin: ['arn:aws:iam::111122223333:role/platform-admins'] } },
    protection: { preventDestroy: false },
    state: { backend: 'local' },
  };
}

/** Deep-set `value` at a dotted path (array indices as numbers); `undefined` deletes. */
export function set(spec: Spec, dotted: string, value: unknown): Spec {
  const parts = dotted.split('.');
  let cur: Record<string, unknown> = spec;
  for (const p of parts.slice(0, -1)) {
    if (cur[p] === undefined || cur[p] === null || typeof cur[p] !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return spec;
}

/** Build a spec from the base with overrides (dotted path -> value). */
export function spec(overrides: Record<string, unknown> = {}, mutate?: (s: Spec) => void): Spec {
  const s = baseSpec();
  for (const [k, v] of Object.entries(overrides)) set(s, k, v);
  mutate?.(s);
  return s;
}

export function toYaml(s: Spec): string {
  return stringify(s, { lineWidth: 0 });
}

export function lint(text: string, file = 'environments/x.yaml', today = TODAY): Finding[] {
  return validateText(text, { file: path.join(REPO, file), repoRoot: REPO, today }).findings;
}

export function lintFiles(files: Record<string, string>, today = TODAY): Finding[] {
  const paths: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const p = path.join(REPO, 'environments', name);
    fs.writeFileSync(p, text);
    paths.push(p);
  }
  try {
    return validateFiles(paths, { repoRoot: REPO, today }).findings;
  } finally {
    for (const p of paths) fs.rmSync(p, { force: true });
  }
}

/**
 * 1-based line of the first line matching `needle` (string or RegExp), searching after the
 * line matching each of `after` in turn (to disambiguate nested keys).
 */
export function lineOf(text: string, needle: string | RegExp, ...after: Array<string | RegExp>): number {
  const lines = text.split('\n');
  const match = (l: string, n: string | RegExp) => (typeof n === 'string' ? l.includes(n) : n.test(l));
  let start = 0;
  for (const a of after) {
    const i = lines.findIndex((l, idx) => idx >= start && match(l, a));
    if (i < 0) throw new Error(`anchor ${String(a)} not found in:\n${text}`);
    start = i + 1;
  }
  const i = lines.findIndex((l, idx) => idx >= start && match(l, needle));
  if (i < 0) throw new Error(`${String(needle)} not found in:\n${text}`);
  return i + 1;
}

export function byRule(findings: Finding[], id: string): Finding[] {
  return findings.filter((f) => f.ruleId === id);
}

/** Findings that are not info (the base spec must have none). */
export function problems(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.severity !== 'info');
}
