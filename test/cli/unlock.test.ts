/**
 * `mwaa-gitops unlock`: the confirmation gate (src/cli/unlock.ts). Nothing is removed unless a lock exists and either
 * `--yes` was given or the person typed `yes`; without a terminal and without `--yes` it refuses. The lock's holder,
 * operation and age are shown before anything happens. Local state: nothing to unlock (exit 1, no terraform call).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import { terminalConfirm, unlockGate, type UnlockDeps } from '../../src/cli/unlock';
import { ageOf, lockKey, versioningWarning, type LockInfo } from '../../src/terraform/state-s3';
import { runCli } from '../gitops/cli-run';

const STATE = { bucket: 'team-state', key: 'mwaa/dev.tfstate', region: 'us-east-1' };
const NOW = new Date('2026-11-30T12:00:00Z');
const LOCK: LockInfo = {
  ID: '76901270-a5df-e5d4-c8de-89c307c7375b',
  Operation: 'OperationTypeApply',
  Info: '',
  Who: 'runner@gha-42',
  Version: '1.11.4',
  Created: '2026-11-30T09:47:30.376242775Z',
  Path: 'team-state/mwaa/dev.tfstate',
};

/** A lock store: the lock file until force-unlock removes it (when the ID matches, as Terraform's does). */
function store(initial: LockInfo | undefined, confirm?: UnlockDeps['confirm']) {
  let lock = initial;
  const removed: string[] = [];
  const asked: string[] = [];
  const deps: UnlockDeps = {
    readLock: async () => lock,
    forceUnlock: async (id) => {
      removed.push(id);
      if (lock?.ID === id) lock = undefined;
    },
    confirm: confirm
      ? async (q) => {
          asked.push(q);
          return confirm(q);
        }
      : undefined,
    now: NOW,
  };
  return { deps, removed, asked, current: () => lock };
}

test('no terminal and no --yes: refuses, shows the holder, removes nothing', async () => {
  const s = store(LOCK);
  const r = await unlockGate('dev', STATE, s.deps, {});
  expect(r.exitCode).toBe(1);
  expect(s.removed).toEqual([]);
  expect(s.current()).toBe(LOCK);
  expect(r.stdout).toContain('lock file: s3://team-state/mwaa/dev.tfstate.tflock');
  expect(r.stdout).toContain('Who:       runner@gha-42');
  expect(r.stdout).toContain('Operation: OperationTypeApply');
  expect(r.stdout).toContain('(2h 12m ago)');
  expect(r.stderr).toContain('refused');
  expect(r.stderr).toContain('mwaa-gitops unlock dev --yes');
});

test('asked on a terminal and not confirmed: nothing removed (exit 1)', async () => {
  const s = store(LOCK, async () => false);
  const r = await unlockGate('dev', STATE, s.deps, {});
  expect(r.exitCode).toBe(1);
  expect(s.removed).toEqual([]);
  expect(s.asked).toHaveLength(1);
  expect(s.asked[0]).toContain('Who:       runner@gha-42');
  expect(s.asked[0]).toContain("Type 'yes' to confirm");
  expect(r.stderr).toContain('unlock cancelled; the lock was not removed');
});

test('confirmed on the terminal: force-unlock with the lock ID, then the lock file is gone', async () => {
  const s = store(LOCK, async () => true);
  const r = await unlockGate('dev', STATE, s.deps, {});
  expect(r).toMatchObject({ exitCode: 0, stderr: '' });
  expect(s.removed).toEqual([LOCK.ID]);
  expect(r.stdout).toContain(`dev: lock ${LOCK.ID} removed.`);
});

test('--yes: no question asked, the lock is shown and removed', async () => {
  const s = store(LOCK, async () => false);
  const r = await unlockGate('dev', STATE, s.deps, { yes: true });
  expect(r.exitCode).toBe(0);
  expect(s.asked).toEqual([]);
  expect(s.removed).toEqual([LOCK.ID]);
  expect(r.stdout).toContain('Who:       runner@gha-42');
});

test('no lock held: exit 0, nothing removed', async () => {
  const s = store(undefined);
  const r = await unlockGate('dev', STATE, s.deps, { yes: true });
  expect(r.exitCode).toBe(0);
  expect(s.removed).toEqual([]);
  expect(r.stdout).toContain('no state lock held (s3://team-state/mwaa/dev.tfstate.tflock does not exist)');
});

test('the lock file still there after force-unlock: an error naming it (exit 1)', async () => {
  const s = store(LOCK);
  s.deps.forceUnlock = async () => undefined;
  const r = await unlockGate('dev', STATE, s.deps, { yes: true });
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toContain('aws s3 rm s3://team-state/mwaa/dev.tfstate.tflock');
});

test('lock key, age and the versioning warning', () => {
  expect(lockKey(STATE)).toBe('mwaa/dev.tfstate.tflock');
  expect(ageOf('2026-11-30T11:59:15Z', NOW)).toBe('45s');
  expect(ageOf('2026-11-28T10:00:00Z', NOW)).toBe('2d 2h');
  expect(ageOf(undefined, NOW)).toBe('unknown');
  expect(versioningWarning('dev', 'b', 'Enabled')).toBeUndefined();
  expect(versioningWarning('dev', 'b', 'unknown')).toBeUndefined();
  expect(versioningWarning('dev', 'b', 'Off')).toContain('aws s3api put-bucket-versioning --bucket b --versioning-configuration Status=Enabled');
  expect(versioningWarning('dev', 'b', 'Suspended')).toContain('versioning suspended');
});

test('unlock of an environment with local state: nothing to unlock, exit 1, no AWS or terraform call', async () => {
  const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-unlock-')));
  try {
    fs.mkdirSync(path.join(repo, 'environments'));
    fs.writeFileSync(
      path.join(repo, 'environments', 'dev.yaml'),
      'apiVersion: mwaa-gitops/v1\nname: dev\nregion: us-east-1\nairflow:\n  version: "2.10.3"\nnetwork:\n  mode: create\n  routing: public\nstate:\n  backend: local\n',
    );
    const r = await runCli(['-C', repo, 'unlock', 'dev', '--terraform-bin', '/nonexistent/terraform']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dev: nothing to unlock: this environment keeps local state');
    expect(r.stderr).not.toMatch(/at .+\(.+:\d+:\d+\)/);
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
  }
});

describe('the terminal prompt (terminalConfirm): only `yes` confirms; Ctrl-C and Ctrl-D answer no instead of leaving the run unanswered', () => {
  /** A terminal's two ends: what the person types, and where the question goes (a TTY, so readline reads keys). */
  const terminal = () => ({ input: new PassThrough(), output: Object.assign(new PassThrough(), { isTTY: true, columns: 80 }) });
  /** The answer, or 'no answer' when the prompt is left waiting (the bug: the process then ended with exit 0). */
  const answered = (p: Promise<boolean>) => Promise.race([p, new Promise<string>((r) => setTimeout(() => r('no answer'), 1500).unref())]);

  test.each([
    ['yes + Enter', 'yes\r', true],
    ['no + Enter', 'no\r', false],
    ['YES + Enter (only the exact word confirms)', 'YES\r', false],
    ['Ctrl-C', '\x03', false],
  ])('%s', async (_label, keys, expected) => {
    const t = terminal();
    const asked = terminalConfirm('Type yes: ', t.input, t.output);
    t.input.write(keys);
    expect(await answered(asked)).toBe(expected);
  });

  test('Ctrl-D (end of input)', async () => {
    const t = terminal();
    const asked = terminalConfirm('Type yes: ', t.input, t.output);
    t.input.end();
    expect(await answered(asked)).toBe(false);
  });
});
