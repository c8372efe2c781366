/**
 * Kill safety for a NEW environment (local state), with the compiled CLI as a user runs it and real terraform against
 * the emulators. Terraform's local backend creates the state file empty to lock it and removes it at unlock when
 * nothing was written, so a run killed before its first state write leaves an empty file behind. That must not lock
 * the environment out (it never had resources: start over), while an empty or cut-off state of an environment that
 * had resources must still stop the run with the restore step (src/terraform/state-guard.ts).
 *
 * Kill points:
 *  - `timeout N mwaa-gitops plan <new env>` timing out while terraform plans (as in the report): `timeout`'s
 *    SIGTERM, which it sends to the tool and then to its whole process group (so the tool gets it twice); the tool
 *    stops terraform gracefully and says so; the next plan runs. The test sends `timeout` the SIGTERM itself once
 *    terraform holds the state lock (timeout forwards it as it does at expiry): a fixed `timeout 3` raced the plan,
 *    which takes under 3 s on a fast machine and then exits 0;
 *  - `plan` SIGKILLed (the tool and terraform) while terraform plan holds the lock: an empty state file is left; the
 *    next plan runs (exit 0) and says why;
 *  - `apply --auto-approve` SIGKILLed during its plan, before anything was created: the next run starts over;
 *  - `apply` SIGKILLed once terraform recorded its first resources: the state is complete, or empty/cut off and then
 *    refused with the restore command (never read as "no state").
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Emulators, startEmulators, TEST_ACCOUNT_ID } from '../../src/sandbox/emulators';
import { killTree } from '../support/kill-tree';
import { publicNetworkSpec } from '../support/specs';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'mwaa-gitops');
const STACK = /at .+\(.+:\d+:\d+\)/;

jest.setTimeout(15 * 60 * 1000);

let em: Emulators;
let work: string;
let target: string;

function writeSpec(name: string, octet: number): void {
  const spec = publicNetworkSpec({ name, octet, account: TEST_ACCOUNT_ID, airflow: ['workers: { min: 1, max: 2 }'], state: ['backend: local'] });
  fs.writeFileSync(path.join(work, 'environments', `${name}.yaml`), spec);
}

const stateFile = (name: string) => path.join(work, '.mwaa-gitops', 'state', name, 'terraform.tfstate');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** The compiled CLI in its own process group; `killWhen` is polled every 50 ms and SIGKILLs the group when true. */
function cli(args: string[], killWhen?: () => boolean): Promise<Run & { killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '-C', work, ...args], { detached: true, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    const poll = killWhen
      ? setInterval(() => {
          if (!killed && killWhen()) {
            killed = true;
            try {
              killTree(child.pid!);
            } catch {
              /* gone */
            }
          }
        }, 50)
      : undefined;
    const guard = setTimeout(() => killTree(child.pid!), 10 * 60 * 1000);
    child.on('close', (code, signal) => {
      if (poll) clearInterval(poll);
      clearTimeout(guard);
      resolve({ code, signal, out, err, killed });
    });
  });
}

/** Resources with an instance (Terraform also lists resources it has not created yet, without instances). */
function recordedIn(file: string): string[] {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as { resources?: Array<{ type: string; name: string; instances?: unknown[] }> };
    return (s.resources ?? []).filter((r) => (r.instances?.length ?? 0) > 0).map((r) => `${r.type}.${r.name}`);
  } catch {
    return [];
  }
}
const resourcesIn = (file: string) => recordedIn(file).length;

beforeAll(async () => {
  em = await startEmulators({ mwaa: { transitionDelayMs: 500 } });
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-kill-e2e-')));
  fs.mkdirSync(path.join(work, 'environments'));
  target = em.writeTarget(path.join(work, '.target.json'));
}, 120000);

afterAll(async () => {
  await em?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('timeout N mwaa-gitops plan <new env>, timing out while terraform plans: terraform is stopped gracefully, the next plan runs', async () => {
  const name = 'kill-timeout';
  writeSpec(name, 71);
  const t = await new Promise<{ status: number | null; stdout: string; stderr: string; signalled: boolean }>((resolve) => {
    const child = spawn('timeout', ['600', process.execPath, BIN, '-C', work, 'plan', name, '--provider-args', target], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    // terraform holds the state lock (the state file exists): what `timeout` does at expiry, now
    const poll = setInterval(() => {
      if (!signalled && fs.existsSync(stateFile(name))) {
        signalled = true;
        child.kill('SIGTERM');
      }
    }, 50);
    child.on('close', (status) => {
      clearInterval(poll);
      resolve({ status, stdout, stderr, signalled });
    });
  });
  expect(t.signalled).toBe(true);
  expect(t.status).toBe(1); // the tool's exit code: interrupted
  expect(t.stderr).toContain(`${name}: terraform plan interrupted (SIGTERM): terraform was stopped gracefully`);
  expect(`${t.stdout}${t.stderr}`).not.toMatch(STACK);
  const next = await cli(['plan', name, '--provider-args', target]);
  expect({ code: next.code, err: next.err.replace(/^note: .*\n/gm, '') }).toEqual({ code: 0, err: '' });
  expect(next.out).toMatch(new RegExp(`^${name}: \\d+ to add, 0 to change, 0 to destroy\\n`));
});

test('plan SIGKILLed while terraform holds the lock: the empty state file left behind does not lock the environment out', async () => {
  const name = 'kill-plan';
  writeSpec(name, 72);
  const killed = await cli(['plan', name, '--provider-args', target], () => fs.existsSync(stateFile(name)));
  expect(killed.killed).toBe(true);
  expect(fs.readFileSync(stateFile(name), 'utf8')).toBe(''); // what Terraform's lock leaves: the case that locked environments out
  const next = await cli(['plan', name, '--provider-args', target]);
  expect(next.code).toBe(0);
  expect(next.err).toContain(`note: ${name}: the state file ${stateFile(name)} is empty: an earlier run was interrupted before Terraform created anything (this environment never had resources), so it starts over.`);
  expect(next.out).toMatch(new RegExp(`^${name}: \\d+ to add, 0 to change, 0 to destroy\\n`));
});

test('apply --auto-approve SIGKILLed during its plan: nothing was created, the next run starts over', async () => {
  const name = 'kill-apply-early';
  writeSpec(name, 73);
  const journal = `${stateFile(name)}.apply.json`;
  const killed = await cli(['apply', name, '--auto-approve', '--provider-args', target], () => fs.existsSync(stateFile(name)) && !fs.existsSync(journal));
  expect(killed.killed).toBe(true);
  expect(em.mwaa.environments.has(name)).toBe(false);
  const next = await cli(['plan', name, '--provider-args', target, '--detailed-exitcode']);
  expect(next.code).toBe(2); // everything to create, nothing refused
  expect(next.out).toMatch(new RegExp(`^${name}: \\d+ to add, 0 to change, 0 to destroy\\n`));
});

test('apply SIGKILLed after terraform recorded its first resources: the state is complete, or refused with the restore step; never "no state"', async () => {
  const name = 'kill-apply-mid';
  writeSpec(name, 74);
  const good = `${stateFile(name)}.last-good`;
  const killed = await cli(['apply', name, '--auto-approve', '--provider-args', target], () => resourcesIn(good) >= 3);
  expect(killed.killed).toBe(true);
  const text = fs.existsSync(stateFile(name)) ? fs.readFileSync(stateFile(name), 'utf8') : '';
  let intact = true;
  try {
    JSON.parse(text);
  } catch {
    intact = false;
  }
  const journal = JSON.parse(fs.readFileSync(`${stateFile(name)}.apply.json`, 'utf8')) as { begun: string[]; finished: string[] };
  expect(journal.begun.length).toBeGreaterThanOrEqual(3); // the journal kept what terraform had started
  const next = await cli(['plan', name, '--provider-args', target]);
  expect(next.out + next.err).not.toMatch(STACK);
  console.log(`[kill] state after the kill: ${text.length} bytes, ${intact ? `intact (${resourcesIn(stateFile(name))} resources)` : 'EMPTY/CUT OFF'}; last-good: ${resourcesIn(good)} resources; plan exit ${next.code}`);
  if (intact) {
    // Terraform continues from the recorded resources: nothing already recorded is planned for creation again
    expect(next.code).toBe(0);
    const recorded = recordedIn(stateFile(name));
    expect(recorded.length).toBeGreaterThanOrEqual(3);
    for (const r of recorded) expect(next.out).not.toContain(`+ ${r} (create)`);
  } else {
    expect(next.code).toBe(1);
    expect(next.err).toContain('this environment had resources');
    expect(next.err).toContain(`cp ${good} ${stateFile(name)}`);
    expect(next.err).not.toContain('never had resources');
  }
});
