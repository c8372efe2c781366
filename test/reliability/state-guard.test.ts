/**
 * src/terraform/state-guard.ts: an empty state file of an environment that never had resources (a first run
 * interrupted) lets the run go on; an empty or cut-off state of one that had resources, or was creating them, stops the
 * run with the restore step; complete states are copied while apply runs; the apply journal records what Terraform
 * started.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkState, journalFile, lastGoodFile, localStateFile, readJournal, snapshotState, startJournal, watchState } from '../../src/terraform/state-guard';

let dir: string;
let stack: string;
let state: string;
const complete = JSON.stringify({ version: 4, serial: 3, resources: [{ mode: 'managed', type: 'aws_vpc', name: 'vpc', instances: [{ attributes: { id: 'vpc-1' } }] }] });
const emptyComplete = JSON.stringify({ version: 4, serial: 1, resources: [] });
// Terraform lists resources it has not created yet without instances: no resource exists
const declaredOnly = JSON.stringify({ version: 4, serial: 2, resources: [{ mode: 'managed', type: 'aws_vpc', name: 'vpc', instances: [] }] });

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-state-guard-'));
  stack = path.join(dir, 'cdktf.out', 'stacks', 'dev');
  state = path.join(dir, '.mwaa-gitops', 'state', 'dev', 'terraform.tfstate');
  fs.mkdirSync(stack, { recursive: true });
  fs.mkdirSync(path.dirname(state), { recursive: true });
  fs.writeFileSync(path.join(stack, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: '../../../.mwaa-gitops/state/dev/terraform.tfstate' } } } }));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const event = (address: string, phase: 'start' | 'complete') => ({ environment: 'dev', address, action: 'create', phase, elapsedSeconds: 0 });

test('the local state file is found from the synthesized backend', () => {
  expect(localStateFile(stack)).toBe(state);
  expect(localStateFile(dir)).toBeUndefined();
});

test('no state yet, or a complete one: runs', () => {
  expect(checkState('dev', state)).toEqual({ status: 'absent' });
  fs.writeFileSync(state, complete);
  expect(checkState('dev', state)).toEqual({ status: 'complete' });
});

test('never had resources: the empty file a killed first plan/apply leaves behind does not lock the environment out', () => {
  // Terraform's local backend creates the state file empty to lock it; a kill before unlock leaves it behind
  fs.writeFileSync(state, '');
  const r = checkState('dev', state);
  expect(r.status).toBe('never-applied');
  expect(r.note).toMatch(/interrupted before Terraform created anything \(this environment never had resources\), so it starts over/);
  // an apply killed before Terraform started any resource: its journal says so
  const j = startJournal(state, 'apply');
  void j;
  fs.writeFileSync(journalFile(state), JSON.stringify({ ...readJournal(state), pid: 999999999 }));
  expect(checkState('dev', state).status).toBe('never-applied');
  expect(fs.existsSync(journalFile(state))).toBe(false);
  // a last-good copy without resources is no evidence either (e.g. after a destroy), nor one that only declares them
  fs.writeFileSync(lastGoodFile(state), emptyComplete);
  expect(checkState('dev', state).status).toBe('never-applied');
  fs.writeFileSync(lastGoodFile(state), declaredOnly);
  expect(checkState('dev', state).status).toBe('never-applied');
});

test('had resources and was cut off: refused with the restore command, nothing run', () => {
  fs.writeFileSync(state, complete);
  snapshotState(state);
  expect(fs.readFileSync(lastGoodFile(state), 'utf8')).toBe(complete);
  fs.writeFileSync(state, '');
  expect(() => checkState('dev', state)).toThrow(new RegExp(`is empty: .*had resources.*nothing was run.*cp ${lastGoodFile(state).replace(/[.]/g, '\\.')} `));
  fs.writeFileSync(state, complete.slice(0, 20));
  expect(() => checkState('dev', state)).toThrow(/cut off \(not valid JSON\)/);
  snapshotState(state); // a cut-off state never replaces the last good copy
  expect(fs.readFileSync(lastGoodFile(state), 'utf8')).toBe(complete);
  // Terraform's own backup is evidence too
  fs.rmSync(lastGoodFile(state));
  fs.writeFileSync(`${state}.backup`, complete);
  fs.writeFileSync(state, '');
  expect(() => checkState('dev', state)).toThrow(new RegExp(`cp ${state.replace(/[.]/g, '\\.')}\\.backup `));
});

test('a cut-off file is evidence by itself (only a state write leaves one)', () => {
  fs.writeFileSync(state, '{"version": 4, "resou');
  expect(() => checkState('dev', state)).toThrow(/cut off .* No complete state was saved/);
});

test('killed while creating its first resources: refused, naming what Terraform had started', () => {
  const j = startJournal(state, 'apply');
  j.record(event('aws_vpc.vpc', 'start'));
  j.record(event('aws_iam_role.execution', 'start'));
  j.record(event('aws_iam_role.execution', 'complete'));
  fs.writeFileSync(state, ''); // killed: Terraform's lock file, never written
  fs.writeFileSync(journalFile(state), JSON.stringify({ ...readJournal(state), pid: 999999999 })); // the process is gone
  expect(() => checkState('dev', state)).toThrow(/had started: aws_vpc\.vpc, aws_iam_role\.execution\).*may exist in AWS without being in any state.*rm /);
});

test('a running apply (live journal) is not mistaken for a killed one', () => {
  const { spawn } = require('child_process') as typeof import('child_process');
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    fs.writeFileSync(state, '');
    fs.writeFileSync(journalFile(state), JSON.stringify({ pid: child.pid, host: os.hostname(), command: 'apply', started: 'now', begun: ['aws_vpc.vpc'], finished: [] }));
    expect(() => checkState('dev', state)).toThrow(/the state is locked by another apply of dev \(pid \d+/);
  } finally {
    child.kill('SIGKILL');
  }
});

test('the journal is removed when the run ends with a complete state, kept when it does not', () => {
  const j = startJournal(state, 'apply');
  j.record(event('aws_vpc.vpc', 'start'));
  expect(readJournal(state)?.begun).toEqual(['aws_vpc.vpc']);
  fs.writeFileSync(state, complete);
  j.finish();
  expect(fs.existsSync(journalFile(state))).toBe(false);
  const k = startJournal(state, 'destroy');
  fs.writeFileSync(state, '');
  k.finish();
  expect(readJournal(state)?.command).toBe('destroy');
});

test('watchState copies each complete state while it runs and once more at the end', async () => {
  const stop = watchState(state, 20);
  const next = JSON.stringify({ version: 4, serial: 4, resources: [] });
  fs.writeFileSync(state, next);
  await new Promise((r) => setTimeout(r, 80));
  expect(fs.readFileSync(lastGoodFile(state), 'utf8')).toBe(next);
  const last = JSON.stringify({ version: 4, serial: 5, resources: [] });
  fs.writeFileSync(state, last);
  stop();
  expect(fs.readFileSync(lastGoodFile(state), 'utf8')).toBe(last);
});
