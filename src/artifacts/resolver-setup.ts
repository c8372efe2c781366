/**
 * Where `validate --resolve` finds pip: MWAA_GITOPS_RESOLVER_PYTHON (a Python whose pip is used as is), else the
 * resolver venv in the package root (.venv-resolve), created on first use by scripts/setup-resolver.sh (pip pinned
 * in scripts/requirements-resolver.txt), like the demo installs its emulator.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../paths';

export function ensureResolverPython(log: (line: string) => void): { python?: string; error?: string } {
  const override = process.env.MWAA_GITOPS_RESOLVER_PYTHON;
  if (override) return fs.existsSync(override) ? { python: override } : { error: `MWAA_GITOPS_RESOLVER_PYTHON=${override} does not exist` };
  const root = packageRoot();
  const python = path.join(root, '.venv-resolve', 'bin', 'python');
  const script = path.join(root, 'scripts', 'setup-resolver.sh');
  if (!fs.existsSync(python)) log('the requirements resolver is not installed yet: running scripts/setup-resolver.sh (once) ...');
  // the script is idempotent and fast when the pinned pip is there; it also repairs a venv with another pip
  const r = spawnSync('bash', [script], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 10 * 60_000 });
  if (r.status !== 0 || !fs.existsSync(python)) {
    return { error: `could not set up the resolver venv (${script}): ${(r.stderr ?? r.error?.message ?? '').trim().split('\n').pop() ?? 'unknown error'}; it needs python3 with venv and access to PyPI` };
  }
  return { python };
}
