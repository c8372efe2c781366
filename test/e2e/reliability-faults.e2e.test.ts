/**
 * Issue 7 faults, end to end: the compiled CLI (child processes, as CI runs it) with real terraform against moto +
 * the MWAA fake. Each fault ends with exit 1 and a message naming the environment, no stack trace, a state file
 * that still parses, and the next apply converges (then an empty plan).
 *  - AWS endpoint down (every moto-served API pointed at a closed port);
 *  - throttling: the fake answers 429 for a while (absorbed by the provider's retries) and for longer than the
 *    retries last (clear failure, then convergence);
 *  - the process killed (SIGKILL of the CLI and its terraform child) in the middle of an apply, after the MWAA
 *    create request went out. Terraform's local backend rewrites the state in place, so the kill can leave it
 *    empty: the next apply then refuses to run (src/terraform/state-guard.ts) and names the restore step (the
 *    tool's last-good copy, taken every 0.5 s during apply). With the state intact (or restored), the environment
 *    exists in MWAA but not in the state: the next apply fails naming it with the adoption hint
 *    (src/terraform/hints.ts); after the one-line imports file it names, the next apply converges.
 * MWAA CREATE_FAILED and an unreachable MWAA endpoint are covered by test/e2e/reconcile.e2e.test.ts
 * ("MWAA creation failure ...", "an unreachable MWAA endpoint ...").
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Emulators, startEmulators, TEST_ACCOUNT_ID } from '../../src/sandbox/emulators';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'mwaa-gitops');
const STACK = /at .+\(.+:\d+:\d+\)/;

let em: Emulators;
let work: string;
let target: string;

function spec(name: string, workersMax = 2): string {
  return `apiVersion: mwaa-gitops/v1
name: ${name}
region: us-east-1
account: "${TEST_ACCOUNT_ID}"
airflow:
  version: "2.10.3"
  workers: { min: 1, max: ${workersMax} }
network:
  mode: create
  routing: public
  vpcCidr: 10.60.0.0/16
  publicSubnets: [10.60.10.0/24, 10.60.11.0/24]
  privateSubnets: [10.60.20.0/24, 10.60.21.0/24]
bucket:
  name: ${name}-bucket-e2e
state:
  backend: local
`;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** The compiled CLI in its own process group; `onErr` sees stderr as it arrives and may kill the group. */
function cli(args: string[], onErr?: (soFar: string, killGroup: () => void) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '-C', work, ...args], { detached: true, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => {
      err += String(d);
      onErr?.(err, killGroup);
    });
    const timer = setTimeout(killGroup, 8 * 60 * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

const apply = (name: string, t = target) => cli(['apply', name, '--auto-approve', '--provider-args', t]);
const plan = (name: string) => cli(['plan', name, '--provider-args', target]);

function writeSpec(name: string, workersMax = 2): void {
  fs.writeFileSync(path.join(work, 'environments', `${name}.yaml`), spec(name, workersMax));
}

function stateFile(name: string): string {
  return path.join(work, '.mwaa-gitops', 'state', name, 'terraform.tfstate');
}

/** The state parses and lists the resources it holds. */
function stateResources(name: string): string[] {
  const file = name.endsWith('-lg') ? `${stateFile(name.slice(0, -3))}.last-good` : stateFile(name);
  const s = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; serial: number; resources: Array<{ type: string; name: string; instances?: unknown[] }> };
  expect(s.version).toBe(4);
  // resources with an instance: Terraform also lists resources it has not created yet, without instances
  return s.resources.filter((r) => (r.instances?.length ?? 0) > 0).map((r) => `${r.type}.${r.name}`);
}

function expectCleanFailure(r: Run, name: string): void {
  expect(r.code).toBe(1);
  expect(r.err).toMatch(new RegExp(`^${name}: terraform (plan|apply) failed`, 'm'));
  expect(r.out + r.err).not.toMatch(STACK);
}

async function expectConverges(name: string): Promise<void> {
  const retry = await apply(name);
  expect({ code: retry.code, err: retry.err.split('\n').filter((l) => /error/i.test(l)).join('\n') }).toEqual({ code: 0, err: '' });
  expect(em.mwaa.environments.get(name)?.Status).toBe('AVAILABLE');
  const again = await plan(name);
  expect({ code: again.code, out: again.code === 0 ? '' : `${again.out}\n${again.err}`.slice(-2500) }).toEqual({ code: 0, out: '' });
}

beforeAll(async () => {
  em = await startEmulators({ mwaa: { transitionDelayMs: 500 } });
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-faults-e2e-')));
  fs.mkdirSync(path.join(work, 'environments'));
  target = em.writeTarget(path.join(work, '.target.json'));
}, 120000);

afterAll(async () => {
  await em?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('AWS endpoint down: exit 1 naming the environment, state untouched; the next apply converges', async () => {
  const name = 'fault-down';
  writeSpec(name);
  const dead = { ...em.target, max_retries: 1, endpoints: Object.fromEntries(Object.entries(em.target.endpoints).map(([k, v]) => [k, k === 'mwaa' ? v : 'http://127.0.0.1:9'])) };
  const deadTarget = path.join(work, '.dead-target.json');
  fs.writeFileSync(deadTarget, JSON.stringify(dead));
  const t0 = Date.now();
  const failed = await apply(name, deadTarget);
  const failedMs = Date.now() - t0;
  expectCleanFailure(failed, name);
  expect(failed.err).toMatch(/127\.0\.0\.1:9|connection refused|connect/i);
  expect(em.mwaa.environments.has(name)).toBe(false);
  if (fs.existsSync(stateFile(name))) expect(stateResources(name)).toEqual([]);
  await expectConverges(name);
  expect(stateResources(name)).toContain('aws_mwaa_environment.environment');
  console.log(`[reliability] endpoint down: failed after ${failedMs} ms`);
});

test('throttling: 429 for a while is absorbed by retries; 429 beyond the retries fails clearly, then converges', async () => {
  const name = 'fault-down'; // applied by the previous test
  writeSpec(name, 3);
  const before = em.mwaa.requests.length;
  em.mwaa.throttle(4);
  const absorbed = await apply(name);
  expect({ code: absorbed.code, err: absorbed.err.split('\n').filter((l) => /error/i.test(l)).join('\n') }).toEqual({ code: 0, err: '' });
  expect(em.mwaa.environments.get(name)?.MaxWorkers).toBe(3);
  const throttled = em.mwaa.requests.slice(before).filter((r) => r.status === 429).length;
  expect(throttled).toBe(4);

  writeSpec(name, 4);
  const limited = { ...em.target, max_retries: 1 };
  const limitedTarget = path.join(work, '.limited-target.json');
  fs.writeFileSync(limitedTarget, JSON.stringify(limited));
  em.mwaa.throttle(100000);
  const failed = await apply(name, limitedTarget);
  em.mwaa.throttle(0);
  expectCleanFailure(failed, name);
  expect(failed.err).toMatch(/Throttling|Rate exceeded|429/);
  expect(stateResources(name)).toContain('aws_mwaa_environment.environment');
  await expectConverges(name);
  expect(em.mwaa.environments.get(name)?.MaxWorkers).toBe(4);
  console.log(`[reliability] throttling: ${throttled} x 429 absorbed`);
});

test('process killed (SIGKILL, CLI and terraform) during the MWAA create: state readable, lock free, adoption hint, then converges', async () => {
  const name = 'fault-kill';
  writeSpec(name);
  let killedAt = '';
  const killed = await cli(['apply', name, '--auto-approve', '--provider-args', target], (err, killGroup) => {
    // kill once terraform reports the environment create in progress (the create request was sent)
    if (!killedAt && em.mwaa.environments.has(name)) {
      killedAt = err.split('\n').filter((l) => l.trim()).pop() ?? '';
      killGroup();
    }
  });
  expect(killed.signal).toBe('SIGKILL');
  expect(em.mwaa.environments.has(name)).toBe(true);
  // Terraform's local backend rewrites the state in place: the kill may land mid-write and leave it empty or cut
  // off. The tool then refuses to run (Terraform would read "no state" and create everything again) and names the
  // restore step; its last-good copy (taken while the apply ran) is the restore point.
  const text = fs.existsSync(stateFile(name)) ? fs.readFileSync(stateFile(name), 'utf8') : '';
  let intact = true;
  try {
    JSON.parse(text);
  } catch {
    intact = false;
  }
  const good = `${stateFile(name)}.last-good`;
  console.log(`[reliability] killed at: ${killedAt}; state file ${text.length} bytes, ${intact ? 'intact' : 'EMPTY/CUT OFF'}; last-good copy: ${fs.existsSync(good) ? stateResources(name + '-lg').length : 0} resources`);
  if (!intact) {
    const creates = em.mwaa.requests.filter((r) => r.operation === 'CreateEnvironment').length;
    const refused = await apply(name);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`^${name}: the Terraform state file `, 'm'));
    expect(refused.out + refused.err).not.toMatch(STACK);
    expect(refused.err).toMatch(/state file .* is (empty|cut off)/);
    expect(refused.err).toContain(`cp ${good} ${stateFile(name)}`);
    expect(fs.readFileSync(stateFile(name), 'utf8')).toBe(text); // untouched
    expect(em.mwaa.requests.filter((r) => r.operation === 'CreateEnvironment').length).toBe(creates); // nothing ran
    fs.copyFileSync(good, stateFile(name));
  }
  const held = stateResources(name);
  expect(held.length).toBeGreaterThan(0);
  console.log(`[reliability] state after kill${intact ? '' : ' (restored from last-good)'}: ${held.length} resources, MWAA environment in state: ${held.includes('aws_mwaa_environment.environment')}`);
  const retry = await apply(name);
  console.log(`[reliability] apply after kill: exit ${retry.code}\n${retry.err.split('\n').filter((l) => !l.startsWith('[')).slice(0, 30).join('\n')}`);
  expect(retry.err).not.toMatch(/Error acquiring the state lock/);
  expect(retry.out + retry.err).not.toMatch(STACK);
  if (!held.includes('aws_mwaa_environment.environment')) {
    // Terraform died before recording the environment it had asked MWAA to create: the next apply cannot create it
    // again; the tool names the environment and gives the adoption step, which then converges.
    expectCleanFailure(retry, name);
    expect(retry.err).toMatch(/already exists/i);
    expect(retry.err).toContain(`hint: ${name} exists in MWAA but not in this environment's Terraform state`);
    expect(retry.err).toContain(`environments/${name}.imports.json`);
    const importsFile = path.join(work, 'environments', `${name}.imports.json`);
    fs.writeFileSync(importsFile, JSON.stringify({ imports: { 'aws_mwaa_environment.environment': name } }));
    const adopted = await apply(name);
    expect({ code: adopted.code, err: adopted.err.split('\n').filter((l) => /error/i.test(l)).join('\n') }).toEqual({ code: 0, err: '' });
    // the import is done; as the hint says, the file goes (a kept import block makes later plans exit 2)
    fs.rmSync(importsFile);
  } else {
    expect(retry.code).toBe(0);
  }
  await expectConverges(name);
  expect(stateResources(name)).toContain('aws_mwaa_environment.environment');
});
