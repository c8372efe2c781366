/** src/terraform/state-guard.ts: an empty or cut-off local state stops the run; complete states are copied. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertStateReadable, lastGoodFile, localStateFile, snapshotState, watchState } from '../../src/terraform/state-guard';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-state-guard-'));
const stack = path.join(dir, 'cdktf.out', 'stacks', 'dev');
const state = path.join(dir, '.mwaa-gitops', 'state', 'dev', 'terraform.tfstate');
const complete = JSON.stringify({ version: 4, serial: 3, resources: [{ type: 'aws_vpc', name: 'vpc' }] });
beforeAll(() => {
  fs.mkdirSync(stack, { recursive: true });
  fs.mkdirSync(path.dirname(state), { recursive: true });
  fs.writeFileSync(path.join(stack, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: '../../../.mwaa-gitops/state/dev/terraform.tfstate' } } } }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the local state file is found from the synthesized backend', () => {
  expect(localStateFile(stack)).toBe(state);
  expect(localStateFile(dir)).toBeUndefined();
});

test('no state yet, or a complete one: runs; empty or cut off: refused with the restore command', () => {
  expect(() => assertStateReadable('dev', state)).not.toThrow();
  fs.writeFileSync(state, complete);
  expect(() => assertStateReadable('dev', state)).not.toThrow();
  snapshotState(state);
  expect(fs.readFileSync(lastGoodFile(state), 'utf8')).toBe(complete);
  fs.writeFileSync(state, '');
  expect(() => assertStateReadable('dev', state)).toThrow(new RegExp(`is empty.*nothing was run.*cp ${lastGoodFile(state).replace(/[.]/g, '\\.')} `));
  fs.writeFileSync(state, complete.slice(0, 20));
  expect(() => assertStateReadable('dev', state)).toThrow(/cut off \(not valid JSON\)/);
  snapshotState(state); // a cut-off state never replaces the last good copy
  expect(fs.readFileSync(lastGoodFile(state), 'utf8')).toBe(complete);
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
