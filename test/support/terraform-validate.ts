/**
 * Runs terraform on a synthesized stack directory with the offline provider mirror
 * (src/terraform/cliconfig.ts `terraformEnv`): `init` and `validate` (a create-only plan of one stack, with fake
 * credentials: many-stacks.ts `terraformPlanJson`). Test support only: no shell, arguments as arrays, the stack
 * directory as working directory.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { resolveProviderMirror, terraformEnv } from '../../src/terraform/cliconfig';
import { OFFLINE_PROVIDER_OVERRIDES } from '../../src/sandbox/offline';

const REPO = path.resolve(__dirname, '..', '..');
const TERRAFORM = process.env.MWAA_GITOPS_TERRAFORM_BIN ?? 'terraform';

export { OFFLINE_PROVIDER_OVERRIDES };

/** The environment terraform (and a provider started for it) runs with. */
export function terraformProcessEnv(): NodeJS.ProcessEnv {
  const tfEnv = terraformEnv({ providerMirror: resolveProviderMirror(), workDir: path.join(REPO, '.mwaa-gitops') });
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
  // a GOGC set by whoever runs the tests (terraformEnv adds DEFAULT_GOGC only when there is none)
  if (process.env.GOGC !== undefined) base.GOGC = process.env.GOGC;
  return { ...base, ...tfEnv, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' };
}

export interface TfResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function terraform(dir: string, args: string[]): TfResult {
  const r = spawnSync(TERRAFORM, args, { cwd: dir, env: terraformProcessEnv(), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function must(dir: string, args: string[]): TfResult {
  const r = terraform(dir, args);
  if (r.code !== 0) throw new Error(`terraform ${args.join(' ')} failed in ${dir} (exit ${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r;
}

export function terraformInit(dir: string, opts: { backend?: boolean } = {}): void {
  must(dir, ['init', '-input=false', '-no-color', `-backend=${opts.backend ? 'true' : 'false'}`]);
}

export interface ValidateResult {
  valid: boolean;
  error_count: number;
  warning_count: number;
  diagnostics: Array<{ severity: string; summary: string; detail?: string }>;
}

/** `terraform init -backend=false` + `terraform validate -json`. */
export function terraformValidate(dir: string): ValidateResult {
  terraformInit(dir);
  const r = terraform(dir, ['validate', '-json', '-no-color']);
  return JSON.parse(r.stdout) as ValidateResult;
}
