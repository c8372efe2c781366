/**
 * Terraform CLI configuration written by the project itself (never ~/.terraformrc).
 *
 * When a provider mirror directory is configured (`--provider-mirror`, `MWAA_GITOPS_PROVIDER_MIRROR`,
 * or the default `/opt/tf-plugins` when it exists), `terraform init` installs providers from that
 * filesystem mirror only, so no download is attempted. The file is handed to terraform through
 * `TF_CLI_CONFIG_FILE` in the child process environment.
 */
import * as fs from 'fs';
import * as path from 'path';

export const DEFAULT_PROVIDER_MIRROR = '/opt/tf-plugins';

export interface TerraformEnvOptions {
  /** Directory laid out as a filesystem mirror (`registry.terraform.io/hashicorp/aws/<v>/<os_arch>/...`). */
  providerMirror?: string;
  /** Where to write the CLI config and the plugin cache (default `<repo>/.mwaa-gitops`). */
  workDir: string;
  /** The environment the children inherit, to leave a GOGC the user set alone (default process.env). */
  inherited?: NodeJS.ProcessEnv;
}

/**
 * Go's garbage-collector target for terraform and the AWS provider when the user has not set GOGC (Go's default is
 * 100). Both are Go programs, and the provider builds its whole schema in every terraform command: measured against
 * one hashicorp/aws 5.100.0 process, a `terraform validate` cost the provider 6.5 CPU-s at 100, 4.2 at 400 and 3.8 at
 * 1000, at a peak RSS of 383, 554 and 888 MB (README, Performance). 400 keeps most of the saving for +170 MB.
 */
export const DEFAULT_GOGC = '400';

/** The mirror to use: explicit option, env var, then the default path when present; undefined = registry. */
export function resolveProviderMirror(explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidate = explicit ?? env.MWAA_GITOPS_PROVIDER_MIRROR;
  if (candidate) return path.resolve(candidate);
  return fs.existsSync(DEFAULT_PROVIDER_MIRROR) ? DEFAULT_PROVIDER_MIRROR : undefined;
}

export function cliConfigText(mirror: string | undefined): string {
  if (!mirror) return '# mwaa-gitops: no provider mirror configured; providers come from the registry\n';
  // JSON string escaping is valid HCL string escaping for paths.
  return [
    '# Written by mwaa-gitops: install providers from the local filesystem mirror only.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    '    include = ["registry.terraform.io/*/*"]',
    '  }',
    '  direct {',
    '    exclude = ["registry.terraform.io/*/*"]',
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Writes the CLI config (idempotently) and returns the environment variables terraform needs.
 * The config file is shared by all stacks of a repository; it is rewritten only when its content changes,
 * via a temp file + rename so parallel processes never read a half-written file.
 */
export function terraformEnv(opts: TerraformEnvOptions): Record<string, string> {
  fs.mkdirSync(opts.workDir, { recursive: true });
  const file = path.join(opts.workDir, 'terraform.rc');
  const text = cliConfigText(opts.providerMirror);
  let current: string | undefined;
  try {
    current = fs.readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== text) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
  return {
    TF_CLI_CONFIG_FILE: file,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    ...((opts.inherited ?? process.env).GOGC === undefined ? { GOGC: DEFAULT_GOGC } : {}),
  };
}
