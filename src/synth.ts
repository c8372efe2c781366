/**
 * In-process synthesis: one CDKTF App, one {@link EnvironmentStack} per validated spec, written to
 * `<outDir>/stacks/<env>/cdk.tf.json` (the layout `cdktf synth` produces). No child process, no cdktf-cli.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import type { EnvironmentSpec } from './spec/types';
import { EnvironmentStack } from '../stacks/environment-stack';
import { applyImports } from './gitops/import-hook';

export interface SynthOptions {
  /** Repository root (default state directory and default outDir live under it). */
  repoRoot: string;
  /** Output directory (default `<repoRoot>/cdktf.out`). */
  outDir?: string;
  /** Local state root (default `<repoRoot>/.mwaa-gitops/state`). */
  stateDir?: string;
  /** Extra aws provider arguments (test/emulator targets only; see {@link loadTarget}). */
  providerOverrides?: Record<string, unknown>;
  /** Run CDKTF's construct validations (default false: the spec was validated before). */
  validate?: boolean;
}

export interface SynthResult {
  env: string;
  /** Stack directory (terraform working directory). */
  dir: string;
  /** The cdk.tf.json file. */
  file: string;
  /** Number of resources (data sources excluded). */
  resources: number;
}

export function defaultOutDir(repoRoot: string): string {
  return path.join(repoRoot, 'cdktf.out');
}

export function synthesize(specs: EnvironmentSpec[], opts: SynthOptions): SynthResult[] {
  const outDir = path.resolve(opts.outDir ?? defaultOutDir(opts.repoRoot));
  fs.mkdirSync(path.join(outDir, 'stacks'), { recursive: true });
  // CDKTF writes cdk.tf.json in place (truncate + write); another process (a parallel apply of the same
  // environment) could read it half-written. Synthesize into a private directory, then rename each file into place.
  const tmpOut = fs.mkdtempSync(path.join(outDir, '.synth-'));
  const app = new App({ outdir: tmpOut, skipValidation: !opts.validate, stackTraces: false });
  const { provider: providerOverrides, s3Backend: s3BackendOverrides } = splitTarget(opts.providerOverrides);
  const stacks = withCheapStackTraces(() => specs.map(
    (spec) =>
      new EnvironmentStack(app, spec, {
        repoRoot: opts.repoRoot,
        stackDir: path.join(outDir, 'stacks', spec.name),
        stateDir: opts.stateDir,
        providerOverrides,
        s3BackendOverrides,
      }),
  ));
  // Adopted environments: `spec.imports` (loaded with the spec from environments/<name>.imports.json) -> import blocks.
  stacks.forEach((stack, i) => applyImports(stack, specs[i].imports));
  try {
    withCheapStackTraces(() => app.synth());
    for (const stack of stacks) {
      const dir = path.join(outDir, 'stacks', stack.node.id);
      fs.mkdirSync(dir, { recursive: true });
      fs.renameSync(path.join(tmpOut, 'stacks', stack.node.id, 'cdk.tf.json'), path.join(dir, 'cdk.tf.json'));
    }
    fs.renameSync(path.join(tmpOut, 'manifest.json'), path.join(outDir, 'manifest.json'));
  } finally {
    fs.rmSync(tmpOut, { recursive: true, force: true });
  }
  return stacks.map((stack) => {
    const dir = path.join(outDir, 'stacks', stack.node.id);
    const file = path.join(dir, 'cdk.tf.json');
    return { env: stack.node.id, dir, file, resources: countResources(file) };
  });
}

/**
 * CDKTF captures a full, formatted stack trace for every token it creates (used only in its own error
 * messages); formatting them is a quarter of synthesis time. While `fn` runs, traces are left unformatted;
 * the previous formatter is restored afterwards, so nothing changes outside synthesis.
 */
function withCheapStackTraces<T>(fn: () => T): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (err: Error) => `${err.name}: ${err.message}`;
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

function countResources(file: string): number {
  const tf = JSON.parse(fs.readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
  let n = 0;
  for (const byName of Object.values(tf.resource ?? {})) n += Object.keys(byName).length;
  return n;
}

/**
 * Provider overrides for a test/emulator target: a JSON object file named explicitly (`--provider-args <file>`) or by
 * `MWAA_GITOPS_PROVIDER_ARGS` (`--target` / `MWAA_GITOPS_TARGET`: deprecated names). Nothing is read by default.
 */
export function loadTarget(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> | undefined {
  const file = explicit ?? env.MWAA_GITOPS_PROVIDER_ARGS ?? env.MWAA_GITOPS_TARGET; // MWAA_GITOPS_TARGET: deprecated name
  if (!file) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`provider arguments file ${file}: ${(e as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new Error(`provider arguments file ${file}: expected a JSON object of aws provider arguments`);
  }
  return data as Record<string, unknown>;
}

/**
 * The key of a target file that holds S3 backend arguments (Terraform's `backend "s3"` names: `endpoints`,
 * `use_path_style`, `access_key`, `skip_credentials_validation`, ...) instead of a provider argument. Test/emulator
 * targets only: it lets `state.backend: s3` specs keep their state in the emulator. Merged into the backend block of
 * specs with `state.backend: s3`; ignored for local state.
 */
export const TARGET_S3_BACKEND_KEY = 's3_backend';

/**
 * The AWS SDK service id of each provider `endpoints` key a test target uses: its endpoint can be given to terraform
 * and the provider as the variable `AWS_ENDPOINT_URL_<id>` instead.
 */
const ENDPOINT_VARIABLE_IDS: Readonly<Record<string, string>> = {
  ec2: 'EC2',
  s3: 'S3',
  iam: 'IAM',
  kms: 'KMS',
  sts: 'STS',
  logs: 'CLOUDWATCH_LOGS',
  cloudwatch: 'CLOUDWATCH',
  mwaa: 'MWAA',
};

/**
 * A target's provider `endpoints` as `AWS_ENDPOINT_URL_<SERVICE>` variables for terraform and the provider, and the
 * target without them (its other keys, `s3_backend` included, as they were); unchanged when it has no `endpoints` map or names a service outside
 * {@link ENDPOINT_VARIABLE_IDS}. Why: hashicorp/aws 5.100.0 spends ~3.3 CPU-s validating any provider configuration
 * that has an `endpoints` block, and Terraform validates it twice per plan (the emulator target pays it in every
 * plan, apply and drift). Test/emulator targets only: a user's configuration has no target.
 */
export function endpointsAsVariables(target: Record<string, unknown> | undefined): { provider?: Record<string, unknown>; env: Record<string, string> } {
  const endpoints = target?.endpoints;
  if (!target || !endpoints || typeof endpoints !== 'object' || Array.isArray(endpoints)) return { provider: target, env: {} };
  const entries = Object.entries(endpoints as Record<string, unknown>);
  if (entries.length === 0 || !entries.every(([k, v]) => Object.prototype.hasOwnProperty.call(ENDPOINT_VARIABLE_IDS, k) && typeof v === 'string')) return { provider: target, env: {} };
  const rest = { ...target };
  delete rest.endpoints;
  return { provider: rest, env: Object.fromEntries(entries.map(([k, v]) => [`AWS_ENDPOINT_URL_${ENDPOINT_VARIABLE_IDS[k]}`, v as string])) };
}

/** A loaded target split into provider arguments and S3 backend arguments ({@link TARGET_S3_BACKEND_KEY}). */
export function splitTarget(target: Record<string, unknown> | undefined): { provider?: Record<string, unknown>; s3Backend?: Record<string, unknown> } {
  if (!target) return {};
  const { [TARGET_S3_BACKEND_KEY]: s3Backend, ...provider } = target;
  if (s3Backend !== undefined && (!s3Backend || typeof s3Backend !== 'object' || Array.isArray(s3Backend))) {
    throw new Error(`target: "${TARGET_S3_BACKEND_KEY}" must be a JSON object of S3 backend arguments`);
  }
  return { provider, s3Backend: s3Backend as Record<string, unknown> | undefined };
}

export interface LoadedSpecs {
  /** Typed specs, present only when there are no errors. */
  specs: EnvironmentSpec[];
  report: import('./engine/validate').ValidationReport;
  ok: boolean;
}

/** Validates the targets (names or files; none = every environment) and returns their typed specs. */
export function loadValidSpecs(repoRoot: string, targets: string[]): LoadedSpecs {
  // Loaded lazily so `synthesize` alone does not pay for the validator.
  const { resolveTargets, validateFiles } = require('./engine/validate') as typeof import('./engine/validate');
  const { hasErrors } = require('./findings') as typeof import('./findings');
  const files = resolveTargets(repoRoot, targets);
  const report = validateFiles(files, { repoRoot });
  const ok = files.length > 0 && !hasErrors(report.findings) && report.environments.every((e) => e.spec !== undefined);
  return { specs: ok ? report.environments.map((e) => e.spec as EnvironmentSpec) : [], report, ok };
}
