/**
 * Shared set-up of the fault suites (test/e2e/reliability-faults.e2e.test.ts and
 * reliability-faults-kill.e2e.test.ts): the compiled CLI (child processes, as CI runs it) with real terraform against
 * moto + the MWAA fake. Each suite file calls {@link faultsFixture} once and gets its own emulators and work
 * directory, so the suites share nothing and run on separate jest workers.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Emulators, startEmulators, TEST_ACCOUNT_ID } from '../../src/sandbox/emulators';
import { killTree } from '../support/kill-tree';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'mwaa-gitops');
export const STACK = /at .+\(.+:\d+:\d+\)/;

/** The suite's emulators, work directory and target file (set in beforeAll). */
export const fx = { em: undefined as unknown as Emulators, work: '', target: '' };

export function spec(name: string, workersMax = 2): string {
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

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/**
 * The compiled CLI in its own process group; `onErr` sees stderr as it arrives and may signal the group (SIGKILL: a
 * machine gone; SIGINT: a terminal's Ctrl-C, which goes to the foreground process group).
 */
export function cli(args: string[], onErr?: (soFar: string, signalGroup: (signal?: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '-C', fx.work, ...args], { detached: true, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const killGroup = (signal: NodeJS.Signals = 'SIGKILL') => {
      try {
        if (signal === 'SIGKILL') killTree(child.pid!); // a machine gone: terraform and the provider too
        else process.kill(-child.pid!, signal); // a terminal's Ctrl-C: the foreground process group
      } catch {
        /* already gone */
      }
    };
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => {
      err += String(d);
      onErr?.(err, killGroup);
    });
    const timer = setTimeout(() => killGroup(), 8 * 60 * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

export const apply = (name: string, t = fx.target) => cli(['apply', name, '--auto-approve', '--provider-args', t]);
export const plan = (name: string) => cli(['plan', name, '--provider-args', fx.target]);

export function writeSpec(name: string, workersMax = 2): void {
  fs.writeFileSync(path.join(fx.work, 'environments', `${name}.yaml`), spec(name, workersMax));
}

export function stateFile(name: string): string {
  return path.join(fx.work, '.mwaa-gitops', 'state', name, 'terraform.tfstate');
}

/** The state parses and lists the resources it holds. */
export function stateResources(name: string): string[] {
  const file = name.endsWith('-lg') ? `${stateFile(name.slice(0, -3))}.last-good` : stateFile(name);
  const s = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: number; serial: number; resources: Array<{ type: string; name: string; instances?: unknown[] }> };
  expect(s.version).toBe(4);
  // resources with an instance: Terraform also lists resources it has not created yet, without instances
  return s.resources.filter((r) => (r.instances?.length ?? 0) > 0).map((r) => `${r.type}.${r.name}`);
}

export function expectCleanFailure(r: Run, name: string): void {
  expect(r.code).toBe(1);
  expect(r.err).toMatch(new RegExp(`^${name}: terraform (plan|apply) failed`, 'm'));
  expect(r.out + r.err).not.toMatch(STACK);
}

export async function expectConverges(name: string): Promise<void> {
  const retry = await apply(name);
  expect({ code: retry.code, err: retry.err.split('\n').filter((l) => /error/i.test(l)).join('\n') }).toEqual({ code: 0, err: '' });
  await expectConverged(name);
}

/** After a successful apply: the environment is AVAILABLE and the next plan has no changes. */
export async function expectConverged(name: string): Promise<void> {
  expect(fx.em.mwaa.environments.get(name)?.Status).toBe('AVAILABLE');
  const again = await plan(name);
  expect({ code: again.code, out: again.code === 0 ? `${again.out}` : `${again.out}\n${again.err}`.slice(-2500) }).toEqual({ code: 0, out: `${name}: no changes\n` });
}

/** Registers the suite's beforeAll / afterAll (own emulators and work directory). */
export function faultsFixture(): void {
  beforeAll(async () => {
    fx.em = await startEmulators({ mwaa: { transitionDelayMs: 500 } });
    fx.work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-faults-e2e-')));
    fs.mkdirSync(path.join(fx.work, 'environments'));
    fx.target = fx.em.writeTarget(path.join(fx.work, '.target.json'));
  }, 120000);

  afterAll(async () => {
    await fx.em?.stop();
    if (fx.work) fs.rmSync(fx.work, { recursive: true, force: true });
  });
}
