/**
 * Issue 7 concurrency, end to end: compiled CLI processes started at the same moment against moto + the MWAA fake.
 *  - two applies of one environment: never both writing. One applies; the other stops at once on the environment's
 *    run lock (src/terraform/run-lock.ts), before it synthesizes or runs terraform, with a message naming the
 *    environment and the holder. The MWAA fake sees exactly one CreateEnvironment, the state parses, cdk.tf.json
 *    parses, and the next plan is empty. (Before the run lock, the second run could fail in `terraform init`, reading
 *    the state the first was writing: "Failed to load state: invalid syntax".)
 *  - applies of two different environments in parallel: both succeed, each state holds only its own resources,
 *    both next plans are empty.
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

function spec(name: string, cidr: number): string {
  return `apiVersion: mwaa-gitops/v1
name: ${name}
region: us-east-1
account: "${TEST_ACCOUNT_ID}"
airflow:
  version: "2.10.3"
  workers: { min: 1, max: 2 }
network:
  mode: create
  routing: public
  vpcCidr: 10.${cidr}.0.0/16
  publicSubnets: [10.${cidr}.10.0/24, 10.${cidr}.11.0/24]
  privateSubnets: [10.${cidr}.20.0/24, 10.${cidr}.21.0/24]
bucket:
  name: ${name}-bucket-e2e
state:
  backend: local
`;
}

interface Run {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

function cli(args: string[]): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '-C', work, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('close', (code) => resolve({ code, out, err, ms: Date.now() - t0 }));
  });
}

const apply = (name: string) => cli(['apply', name, '--auto-approve', '--provider-args', target]);
const plan = (name: string) => cli(['plan', name, '--provider-args', target]);

function stateResources(name: string): string[] {
  const file = path.join(work, '.mwaa-gitops', 'state', name, 'terraform.tfstate');
  const s = JSON.parse(fs.readFileSync(file, 'utf8')) as { resources: Array<{ type: string; name: string; instances: Array<{ attributes: Record<string, unknown> }> }> };
  return s.resources.map((r) => `${r.type}.${r.name}`);
}

function tfJsonParses(name: string): boolean {
  JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), 'utf8'));
  return true;
}

const errorLines = (r: Run) => r.err.split('\n').filter((l) => /error/i.test(l)).join('\n');

beforeAll(async () => {
  em = await startEmulators({ mwaa: { transitionDelayMs: 1500 } });
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-concurrency-e2e-')));
  fs.mkdirSync(path.join(work, 'environments'));
  target = em.writeTarget(path.join(work, '.target.json'));
}, 120000);

afterAll(async () => {
  await em?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('two applies of one environment at once: one applies, the other stops on the run lock; never both', async () => {
  const name = 'race-one';
  fs.writeFileSync(path.join(work, 'environments', `${name}.yaml`), spec(name, 70));
  const before = em.mwaa.requests.length;
  const [a, b] = await Promise.all([apply(name), apply(name)]);
  const runs = [a, b];
  const summary = runs.map((r) => ({ code: r.code, ms: r.ms, errors: errorLines(r).slice(0, 600) }));
  console.log(`[reliability] same-env race: ${JSON.stringify(summary, null, 2)}`);
  for (const r of runs) expect(r.out + r.err).not.toMatch(STACK);
  const ok = runs.filter((r) => r.code === 0);
  const failed = runs.filter((r) => r.code !== 0);
  expect(ok.length).toBe(1);
  expect(failed.length).toBe(1);
  expect(failed[0].code).toBe(1);
  expect(failed[0].err).toMatch(new RegExp(`^${name}: another mwaa-gitops run holds this environment's run lock \\(apply, pid \\d+ on `, 'm'));
  const creates = em.mwaa.requests.slice(before).filter((r) => r.operation === 'CreateEnvironment' && r.status < 300);
  expect(creates.length).toBe(1);
  expect(em.mwaa.environments.get(name)?.Status).toBe('AVAILABLE');
  expect(stateResources(name)).toContain('aws_mwaa_environment.environment');
  expect(tfJsonParses(name)).toBe(true);
  const again = await plan(name);
  expect({ code: again.code, out: again.out, errors: errorLines(again) }).toEqual({ code: 0, out: `${name}: no changes\n`, errors: '' });
});

test('applies of two different environments in parallel do not interfere', async () => {
  const names = ['para-a', 'para-b'];
  names.forEach((n, i) => fs.writeFileSync(path.join(work, 'environments', `${n}.yaml`), spec(n, 80 + i)));
  const t0 = Date.now();
  const runs = await Promise.all(names.map((n) => apply(n)));
  const wall = Date.now() - t0;
  console.log(`[reliability] parallel envs: ${runs.map((r, i) => `${names[i]} exit ${r.code} in ${r.ms} ms`).join(', ')}; wall ${wall} ms`);
  runs.forEach((r, i) => expect({ env: names[i], code: r.code, errors: errorLines(r) }).toEqual({ env: names[i], code: 0, errors: '' }));
  for (const n of names) {
    expect(em.mwaa.environments.get(n)?.Status).toBe('AVAILABLE');
    const state = fs.readFileSync(path.join(work, '.mwaa-gitops', 'state', n, 'terraform.tfstate'), 'utf8');
    const other = names.find((x) => x !== n)!;
    expect(state).not.toContain(`${other}-bucket-e2e`);
    expect(state).toContain(`${n}-bucket-e2e`);
    expect(tfJsonParses(n)).toBe(true);
  }
  const plans = await Promise.all(names.map((n) => plan(n)));
  plans.forEach((p, i) => expect({ env: names[i], code: p.code, out: p.out, errors: errorLines(p) }).toEqual({ env: names[i], code: 0, out: `${names[i]}: no changes\n`, errors: '' }));
});
