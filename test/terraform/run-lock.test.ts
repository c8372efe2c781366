/**
 * The run lock (src/terraform/run-lock.ts), a protective gate: one run per environment and working copy. Real
 * processes race for it; a killed holder's lock is taken over; a live holder's never is; the commands stop on a held
 * lock before they synthesize or run terraform.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acquireRunLock, currentBoot, lockFile, processStart } from '../../src/terraform/run-lock';
import { run as plan } from '../../src/cli/plan';
import { run as apply } from '../../src/cli/apply';
import { run as destroy } from '../../src/cli/destroy';
import { run as drift } from '../../src/cli/drift';
import { run as unlock } from '../../src/cli/unlock';
import { publicNetworkSpec } from '../support/specs';
import { standInTerraform } from '../support/stand-in-terraform';

const FROM_SOURCE = path.resolve(__dirname, '..', 'support', 'from-source.js');
const LOCK_TS = path.resolve(__dirname, '..', '..', 'src', 'terraform', 'run-lock.ts');
const RUNNER_TS = path.resolve(__dirname, '..', '..', 'src', 'terraform', 'runner.ts');

const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-run-lock-')));

/** A temporary repository with one environment spec. */
function repoWithEnv(name: string, octet: number): string {
  const repo = tmp();
  fs.mkdirSync(path.join(repo, 'environments'));
  fs.writeFileSync(path.join(repo, 'environments', `${name}.yaml`), publicNetworkSpec({ name, octet, account: '123456789012' }));
  return repo;
}

interface Child {
  out: string;
  closed: Promise<number | null>;
  signal?: NodeJS.Signals | null;
  kill(signal: NodeJS.Signals): void;
}

/** A node process (the TypeScript sources) that takes the lock, prints the result, then does `then`. */
function locker(repo: string, then: 'hold' | 'exit'): Child {
  const script = `
    require(${JSON.stringify(FROM_SOURCE)}).register();
    const { acquireRunLock } = require(${JSON.stringify(LOCK_TS)});
    const r = acquireRunLock(${JSON.stringify(repo)}, 'env-a', 'apply');
    process.stdout.write(r.ok ? 'OK\\n' : 'HELD\\n' + r.message + '\\n');
    if (${JSON.stringify(then)} === 'exit') process.exit(0);
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const c: Child = {
    out: '',
    closed: new Promise((resolve) => child.on('close', (code, signal) => ((c.signal = signal), resolve(code)))),
    kill: (s) => child.kill(s),
  };
  child.stdout.on('data', (d) => (c.out += String(d)));
  return c;
}

async function until(pred: () => boolean, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('processes started together: exactly one takes the lock, the others are told who holds it', async () => {
  const repo = tmp();
  const children = [0, 1, 2, 3].map(() => locker(repo, 'hold'));
  try {
    await until(() => children.every((c) => /^(OK|HELD)/.test(c.out)));
    const winners = children.filter((c) => c.out.startsWith('OK'));
    expect(winners).toHaveLength(1);
    for (const c of children.filter((x) => !winners.includes(x))) {
      expect(c.out).toMatch(/^HELD\nenv-a: another mwaa-gitops run holds this environment's run lock \(apply, pid \d+ on /);
      expect(c.out).toContain('.mwaa-gitops/locks/env-a.lock');
    }
  } finally {
    children.forEach((c) => c.kill('SIGKILL'));
    await Promise.all(children.map((c) => c.closed));
    fs.rmSync(repo, { recursive: true, force: true });
  }
}, 60000);

test('a process that exits without releasing removes its lock; one killed (SIGKILL) leaves it, and the next run takes it over with a note', async () => {
  const repo = tmp();
  try {
    const exits = locker(repo, 'exit');
    expect(await exits.closed).toBe(0);
    expect(exits.out).toBe('OK\n');
    expect(fs.existsSync(lockFile(repo, 'env-a'))).toBe(false);

    const killed = locker(repo, 'hold');
    await until(() => killed.out.startsWith('OK'));
    killed.kill('SIGKILL');
    await killed.closed;
    expect(fs.existsSync(lockFile(repo, 'env-a'))).toBe(true);
    const r = acquireRunLock(repo, 'env-a', 'plan');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.note).toMatch(/^note: env-a: removed the run lock of a run that is gone \(apply, pid \d+ on .+\): \.mwaa-gitops\/locks\/env-a\.lock$/);
    r.lock.release();
    expect(fs.existsSync(lockFile(repo, 'env-a'))).toBe(false);
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
}, 60000);

test.each(['SIGINT', 'SIGTERM'] as const)('a run ended by %s between terraform commands removes its lock, and still ends by that signal', async (signal) => {
  const repo = tmp();
  try {
    const held = locker(repo, 'hold');
    await until(() => held.out.startsWith('OK'));
    expect(fs.existsSync(lockFile(repo, 'env-a'))).toBe(true);
    held.kill(signal);
    expect(await held.closed).toBe(null);
    expect(held.signal).toBe(signal);
    expect(fs.existsSync(lockFile(repo, 'env-a'))).toBe(false);
    // the next run takes it without a note about a killed run
    const next = acquireRunLock(repo, 'env-a', 'plan');
    expect(next).toEqual({ ok: true, lock: expect.anything(), note: undefined });
    if (next.ok) next.lock.release();
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
}, 60000);

test('SIGTERM while terraform runs: the lock\'s handler stands aside, terraform is stopped gracefully, then the lock is released', async () => {
  const repo = tmp();
  const marks = tmp();
  // a stand-in for terraform: says it started, notes each interrupt, stops on SIGINT
  const tf = standInTerraform(marks, true);
  const script = `
    require(${JSON.stringify(FROM_SOURCE)}).register();
    const { acquireRunLock } = require(${JSON.stringify(LOCK_TS)});
    const { TerraformRunner } = require(${JSON.stringify(RUNNER_TS)});
    const r = acquireRunLock(${JSON.stringify(repo)}, 'env-t', 'apply');
    process.stdout.write(r.ok ? 'OK\\n' : 'HELD\\n');
    new TerraformRunner({ environment: 'env-t', workingDir: ${JSON.stringify(repo)}, binary: ${JSON.stringify(tf.bin)} })
      .init()
      .catch((e) => process.stdout.write('ERR ' + e.message + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
  try {
    await until(() => out.startsWith('OK') && tf.pid() > 0);
    child.kill('SIGTERM');
    // terraform has its SIGINT and takes 300 ms to stop: the lock is still held meanwhile
    await until(() => fs.existsSync(tf.interrupts));
    expect(fs.existsSync(lockFile(repo, 'env-t'))).toBe(true);
    expect(await closed).toEqual([1, null]); // the runner's handling: terraform stopped, then exit 1
    expect(fs.existsSync(tf.interrupts)).toBe(true);
    expect(out).toContain('ERR env-t: terraform init interrupted (SIGTERM): terraform was stopped gracefully');
    expect(fs.existsSync(lockFile(repo, 'env-t'))).toBe(false);
  } finally {
    child.kill('SIGKILL');
    tf.kill();
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(marks, { recursive: true, force: true });
  }
}, 60000);

test('a live holder is never taken over, nor one on another host (its pid means nothing here); release removes only its own lock', () => {
  const repo = tmp();
  try {
    const first = acquireRunLock(repo, 'env-b', 'apply', { pid: 111, host: 'runner-1', alive: () => true });
    expect(first.ok).toBe(true);
    const second = acquireRunLock(repo, 'env-b', 'plan', { pid: 222, host: 'runner-1', alive: () => true });
    expect(second).toEqual({ ok: false, message: expect.stringMatching(/^env-b: another mwaa-gitops run holds this environment's run lock \(apply, pid 111 on runner-1, since /) });
    const elsewhere = acquireRunLock(repo, 'env-b', 'plan', { pid: 222, host: 'runner-2', alive: () => false });
    expect(elsewhere.ok).toBe(false);
    // the lock's file replaced by another run's (removed by hand, taken again): the first run's release keeps it
    fs.writeFileSync(lockFile(repo, 'env-b'), JSON.stringify({ pid: 333, host: 'runner-1', operation: 'apply', since: new Date().toISOString() }));
    if (first.ok) first.lock.release();
    expect(fs.existsSync(lockFile(repo, 'env-b'))).toBe(true);
    // another environment is independent
    expect(acquireRunLock(repo, 'env-c', 'plan', { pid: 222, host: 'runner-1' }).ok).toBe(true);
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
});

test('taking over a stale lock never removes a lock another run took over meanwhile', () => {
  const repo = tmp();
  try {
    const file = lockFile(repo, 'env-d');
    const stale = { pid: 999, host: 'runner-1', operation: 'apply', since: '2026-12-01T00:00:00.000Z' };
    const other = { pid: 444, host: 'runner-1', operation: 'plan', since: new Date().toISOString() };
    const writeLock = (h: object) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(h));
    };
    const deps = { pid: 222, host: 'runner-1', alive: (pid: number) => pid !== 999 };
    writeLock(stale);
    // another run found the same stale lock first, removed it and took the lock, between this run's read and takeover
    const raced = acquireRunLock(repo, 'env-d', 'apply', { ...deps, beforeTakeover: () => (fs.rmSync(file), writeLock(other)) });
    expect(raced).toEqual({ ok: false, message: expect.stringContaining("env-d: another mwaa-gitops run holds this environment's run lock (plan, pid 444 on runner-1, since ") });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(other);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['env-d.lock']); // nothing left aside
    // without that interleaving the stale lock is taken over
    writeLock(stale);
    const taken = acquireRunLock(repo, 'env-d', 'apply', deps);
    expect(taken.ok && taken.note).toMatch(/^note: env-d: removed the run lock of a run that is gone \(apply, pid 999 on runner-1, /);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(222);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['env-d.lock']);
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
});

describe('a pid alone can lie: the boot id and the holder\'s start time decide too (Linux /proc)', () => {
  let repo: string;
  const file = () => lockFile(repo, 'env-p');
  const writeLock = (h: object) => {
    fs.mkdirSync(path.dirname(file()), { recursive: true });
    fs.writeFileSync(file(), JSON.stringify({ host: os.hostname(), operation: 'apply', since: '2026-12-01T00:00:00.000Z', ...h }));
  };
  beforeEach(() => (repo = tmp()));
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('the lock records this boot and the holder\'s start time, read from /proc', () => {
    expect(currentBoot()).toMatch(/^[0-9a-f-]{36}$/);
    expect(processStart(process.pid)).toMatch(/^\d+$/);
    expect(processStart(process.pid)).toBe(processStart(process.pid));
    expect(processStart(process.ppid)).not.toBe(undefined);
    expect(processStart(2 ** 22 + 1)).toBe(undefined); // above Linux's pid_max: no such process
    const r = acquireRunLock(repo, 'env-p', 'plan');
    expect(r.ok).toBe(true);
    expect(JSON.parse(fs.readFileSync(file(), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname(), boot: currentBoot(), start: processStart(process.pid) });
    if (r.ok) r.lock.release();
  });

  test('a live pid started at another time is another process: its lock is taken over, saying why', () => {
    writeLock({ pid: process.ppid, boot: currentBoot(), start: '1' });
    const r = acquireRunLock(repo, 'env-p', 'plan');
    expect(r.ok && r.note).toMatch(new RegExp(`^note: env-p: removed the run lock of a run that is gone \\(apply, pid ${process.ppid} on .+; its pid ${process.ppid} now belongs to another process\\): \\.mwaa-gitops/locks/env-p\\.lock$`));
    expect(JSON.parse(fs.readFileSync(file(), 'utf8')).pid).toBe(process.pid);
  });

  test('a lock from an earlier boot is stale, whatever its pid is now', () => {
    writeLock({ pid: process.ppid, boot: '00000000-0000-0000-0000-000000000000', start: processStart(process.ppid) });
    const r = acquireRunLock(repo, 'env-p', 'plan');
    expect(r.ok && r.note).toMatch(/; the machine has restarted since\): /);
  });

  test('an earlier process with this run\'s own pid left it: taken over', () => {
    writeLock({ pid: process.pid, boot: currentBoot(), start: '1' });
    const r = acquireRunLock(repo, 'env-p', 'plan');
    expect(r.ok && r.note).toMatch(new RegExp(`; its pid ${process.pid} now belongs to this run\\): `));
  });

  test('the live holder itself (same pid, boot and start time), and a lock without them on a live pid, stay held', () => {
    writeLock({ pid: process.ppid, boot: currentBoot(), start: processStart(process.ppid) });
    expect(acquireRunLock(repo, 'env-p', 'plan')).toEqual({ ok: false, message: expect.stringContaining(`(apply, pid ${process.ppid} on `) });
    writeLock({ pid: process.ppid }); // an older lock file, or no /proc where it was written: the pid decides
    expect(acquireRunLock(repo, 'env-p', 'plan').ok).toBe(false);
    const mine = acquireRunLock(repo, 'env-q', 'plan');
    expect(acquireRunLock(repo, 'env-q', 'apply').ok).toBe(false); // this very process, asking twice
    if (mine.ok) mine.lock.release();
  });
});

describe('the commands stop on a held lock before they synthesize or run terraform', () => {
  let repo: string;
  beforeEach(() => {
    repo = repoWithEnv('locked-env', 61);
    // held by a live process of this host: the test runner's parent
    fs.mkdirSync(path.dirname(lockFile(repo, 'locked-env')), { recursive: true });
    fs.writeFileSync(lockFile(repo, 'locked-env'), JSON.stringify({ pid: process.ppid, host: os.hostname(), operation: 'apply', since: new Date().toISOString() }));
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  const opts = () => ({ repo, terraformBin: '/nonexistent/terraform-must-not-run' });
  // plan and drift show it as the environment's error in the report (indented), apply and destroy as is
  const held = new RegExp(`locked-env: another mwaa-gitops run holds this environment's run lock \\(apply, pid ${process.ppid} on `);

  test.each([
    ['plan', () => plan({ ...opts(), targets: ['locked-env'] })],
    ['apply --auto-approve', () => apply({ ...opts(), targets: ['locked-env'], autoApprove: true })],
    ['drift', () => drift({ ...opts(), targets: ['locked-env'] })],
    ['destroy', () => destroy({ ...opts(), env: 'locked-env' })],
  ])('%s: exit 1, names the holder; nothing synthesized; the lock is kept', async (_name, cmd) => {
    const r = await cmd();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(held);
    expect(r.stderr).not.toContain('terraform-must-not-run');
    expect(fs.existsSync(path.join(repo, 'cdktf.out', 'stacks', 'locked-env', 'cdk.tf.json'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(lockFile(repo, 'locked-env'), 'utf8')).pid).toBe(process.ppid);
  });
});

describe('each command releases its run lock when it ends, failed or not', () => {
  let repo: string;
  beforeEach(() => {
    repo = repoWithEnv('free-env', 62);
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  // terraform cannot start: each command fails after taking the lock and synthesizing. In one process (the reconcile
  // e2e suites run command after command in process), a lock left behind would refuse the next command as held.
  const opts = () => ({ repo, terraformBin: '/nonexistent/terraform' });
  test.each([
    ['plan', () => plan({ ...opts(), targets: ['free-env'] })],
    ['apply --auto-approve', () => apply({ ...opts(), targets: ['free-env'], autoApprove: true })],
    ['drift', () => drift({ ...opts(), targets: ['free-env'] })],
    ['destroy', () => destroy({ ...opts(), env: 'free-env' })],
    ['unlock', () => unlock({ ...opts(), env: 'free-env', yes: true })],
  ])('%s: synthesized under the lock, no lock left when it returns', async (_name, cmd) => {
    const r = await cmd();
    expect(fs.existsSync(path.join(repo, 'cdktf.out', 'stacks', 'free-env', 'cdk.tf.json'))).toBe(true);
    expect(r.stderr).not.toMatch(/another mwaa-gitops run holds/);
    expect(fs.existsSync(lockFile(repo, 'free-env'))).toBe(false);
    // and the same process can take it again at once
    const again = acquireRunLock(repo, 'free-env', 'plan');
    expect(again.ok).toBe(true);
    if (again.ok) again.lock.release();
  });
});
