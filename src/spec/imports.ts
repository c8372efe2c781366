/**
 * The imports side file of an environment: `environments/<name>.imports.json` (written by `mwaa-gitops import`)
 * maps a Terraform resource address (`aws_mwaa_environment.environment`) to its import id. The loader reads it with
 * the spec (like the artifact side files), so synthesis, `affected`, `diff` and `show` all see the same input.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Absolute path of the imports file of environment `envName` (whether or not it exists). */
export function importsFile(repoRoot: string, envName: string): string {
  return path.join(repoRoot, 'environments', `${envName}.imports.json`);
}

/** Names that can form a file name under environments/ (no separators, no `..`). */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export type ImportsRead = { imports?: Record<string, string>; error?: string };

/** Reads an imports file: nothing when it does not exist; `error` (never a throw) when it is not the expected shape. */
export function readImportsFile(file: string): ImportsRead {
  // most environments have none: ask without an exception (building one per environment shows at hundreds of them)
  if (!fs.statSync(file, { throwIfNoEntry: false })) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { error: `cannot read it (${(e as Error).message})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `not valid JSON (${(e as Error).message})` };
  }
  const imports = (data as { imports?: unknown })?.imports;
  if (!imports || typeof imports !== 'object' || Array.isArray(imports) || Object.values(imports).some((v) => typeof v !== 'string')) {
    return { error: 'expected {"imports": {"<resource address>": "<import id>", ...}}' };
  }
  return { imports: imports as Record<string, string> };
}

/** The imports file of `envName` if the name is usable as a file name; undefined otherwise. */
export function importsFileFor(repoRoot: string, envName: unknown): string | undefined {
  return typeof envName === 'string' && SAFE_NAME.test(envName) ? importsFile(repoRoot, envName) : undefined;
}
