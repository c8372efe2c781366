/**
 * validate --resolve against the real package registry (PyPI) with the constraints stand-ins the tests ship
 * (test/fixtures/constraints: the official raw.githubusercontent.com URLs are not reachable from CI here).
 * The compiled CLI runs as a user would; the resolver venv comes from scripts/setup-resolver.sh.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'mwaa-gitops');
const CONSTRAINTS = path.join(REPO, 'test', 'fixtures', 'constraints');

function cli(args: string[], cwd: string): { code: number; stdout: string; stderr: string; ms: number } {
  const t = Date.now();
  const r = spawnSync(process.execPath, [CLI, '-C', cwd, ...args], { encoding: 'utf8', env: { ...process.env, MWAA_GITOPS_CONSTRAINTS_DIR: CONSTRAINTS }, timeout: 15 * 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t };
}

/** A copy of the repository's examples in a scratch directory (its own resolve cache). */
function scratch(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-resolve-')));
  for (const d of ['environments', 'airflow']) fs.cpSync(path.join(REPO, d), path.join(dir, d), { recursive: true });
  return dir;
}

beforeAll(() => {
  execFileSync('bash', [path.join(REPO, 'scripts', 'setup-resolver.sh')], { stdio: 'inherit' });
});

test('the examples pass --resolve; an unchanged file is not resolved again', () => {
  const dir = scratch();
  const first = cli(['validate', '--resolve', '--format', 'json'], dir);
  if (first.code !== 0) throw new Error(`${first.stdout}\n${first.stderr}`);
  expect(first.stderr).toContain('resolving airflow/requirements.txt for Airflow 2.10.3 (Python 3.11');
  const findings = JSON.parse(first.stdout).findings as Array<{ ruleId: string; severity: string }>;
  expect(findings.filter((f) => f.ruleId === 'MWAA-REQ-006')).toEqual([]);
  const cached = fs.readdirSync(path.join(dir, '.mwaa-gitops', 'resolve', 'results'));
  expect(cached).toHaveLength(1);
  const second = cli(['validate', '--resolve'], dir);
  expect(second.code).toBe(0);
  expect(second.stderr).not.toContain('resolving');
  expect(second.stdout).toContain('3 environments valid');
  process.stdout.write(`resolve: first ${first.ms} ms, cached ${second.ms} ms\n`);
});

test('a pin the constraints fix differently is reported at its line; a package without a wheel at its line', () => {
  const dir = scratch();
  const req = path.join(dir, 'airflow', 'requirements.txt');
  fs.writeFileSync(req, `${fs.readFileSync(req, 'utf8')}# deliberately conflicting with the constraints (requests==2.34.2)\nrequests==2.31.0\n`);
  const r = cli(['validate', '--resolve', '--format', 'json', 'analytics-dev'], dir);
  expect(r.code).toBe(1);
  const f = (JSON.parse(r.stdout).findings as Array<{ ruleId: string; file: string; line: number; message: string; severity: string }>).filter((x) => x.ruleId === 'MWAA-REQ-006');
  expect(f).toHaveLength(1);
  expect(f[0]).toMatchObject({ file: 'airflow/requirements.txt', line: 4, severity: 'error' });
  expect(f[0].message).toContain('requests==2.31.0');
  expect(f[0].message).toContain('the constraint requests==2.34.2');

  fs.writeFileSync(req, `${fs.readFileSync(req, 'utf8').replace('requests==2.31.0\n', '')}psycopg2==2.9.9\n`);
  const nw = cli(['validate', '--resolve', '--format', 'json', 'analytics-dev'], dir);
  const g = (JSON.parse(nw.stdout).findings as Array<{ ruleId: string; line: number; message: string }>).filter((x) => x.ruleId === 'MWAA-REQ-006');
  expect(g.map((x) => x.line)).toEqual([4]);
  expect(g[0].message).toContain('psycopg2==2.9.9 has no binary wheel');
});

test('a stale constraint line is resolved against the environment own constraints, and says so', () => {
  const dir = scratch();
  const spec = path.join(dir, 'environments', 'analytics-dev.yaml');
  fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('airflow:\n', 'airflow:\n  version: "2.11.0"\n'));
  fs.appendFileSync(path.join(dir, 'airflow', 'requirements.txt'), 'requests==2.31.0\n');
  const r = cli(['validate', '--resolve', '--format', 'json', 'analytics-dev'], dir);
  const f = JSON.parse(r.stdout).findings as Array<{ ruleId: string; line: number; message: string }>;
  expect(f.find((x) => x.ruleId === 'MWAA-REQ-001')?.line).toBe(1);
  const res = f.find((x) => x.ruleId === 'MWAA-REQ-006')!;
  expect(res.line).toBe(3);
  expect(res.message).toContain('resolved against https://raw.githubusercontent.com/apache/airflow/constraints-2.11.0/constraints-3.12.txt');
});
