/** The terraform runner against a stand-in binary: init skip, exit codes, progress events, errors, timeouts. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_GOGC, terraformEnv } from '../../src/terraform/cliconfig';
import { formatProgress, parseErrorBlocks, ProgressEvent, resolveTerraformBin, TerraformRunner } from '../../src/terraform/runner';

const fake = path.join(__dirname, 'fixtures', 'fake-terraform.js');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-'));
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { version: '5.100.0' } } } }));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const runner = (mode: string, extra: Partial<ConstructorParameters<typeof TerraformRunner>[0]> = {}) =>
  new TerraformRunner({ environment: 'analytics-dev', workingDir: dir, binary: fake, env: { FAKE_TF_MODE: mode }, ...extra });
const calls = () => fs.readFileSync(path.join(dir, 'calls.log'), 'utf8').trim().split('\n');

test('init runs once, then is skipped while the lock file and provider requirements are unchanged', async () => {
  expect(await runner('ok').init()).toEqual({ skipped: false });
  expect(await runner('ok').init()).toEqual({ skipped: true });
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { version: '5.101.0' } } } }));
  expect(await runner('ok').init()).toEqual({ skipped: false });
  expect(calls().filter((c) => c.startsWith('init')).length).toBe(2);
});

test('plan: -detailed-exitcode 0 and 2 are results, arguments are passed without a shell', async () => {
  expect(await runner('ok').plan({ out: 'p.plan' })).toEqual({ changes: false, events: [] });
  // the plan events of the stream are kept (progress and diagnostics are not)
  const changed = await runner('changes').plan({ out: 'p.plan', refreshOnly: true });
  expect(changed.changes).toBe(true);
  expect(changed.events.map((e) => e.type)).toEqual(['planned_change', 'change_summary']);
  expect(calls()[1]).toBe('plan -input=false -json -detailed-exitcode -out=p.plan -refresh-only');
});

test('errors name the environment and keep the Error diagnostic with its address', async () => {
  await expect(runner('fail').plan({ out: 'p.plan' })).rejects.toThrow(
    'analytics-dev: terraform plan failed (exit 1):\n  Error: Instance cannot be destroyed (aws_mwaa_environment.environment)\n    Resource aws_mwaa_environment.environment has lifecycle.prevent_destroy set',
  );
  await expect(runner('ok').raw(['bogus'])).rejects.toThrow(/analytics-dev: terraform bogus failed \(exit 1\):\n {2}Error: Unsupported command/);
});

test('apply streams progress events for managed resources', async () => {
  const events: ProgressEvent[] = [];
  await runner('ok', { progress: (e) => events.push(e) }).apply('p.plan');
  expect(events.map(formatProgress)).toEqual([
    '[analytics-dev] aws_mwaa_environment.environment: creating...',
    '[analytics-dev] aws_mwaa_environment.environment: still creating (10s elapsed)',
    '[analytics-dev] aws_mwaa_environment.environment: done after 12s',
  ]);
  const planEvents: ProgressEvent[] = [];
  await runner('ok', { progress: (e) => planEvents.push(e) }).plan({ out: 'p.plan' });
  expect(planEvents).toEqual([]);
});

test('a missing binary and a timeout are clear errors naming the environment', async () => {
  await expect(runner('ok', { binary: path.join(dir, 'no-such-terraform') }).plan({ out: 'p' })).rejects.toThrow(
    /^analytics-dev: cannot run .*no-such-terraform \(not found; set --terraform-bin or MWAA_GITOPS_TERRAFORM_BIN\)/,
  );
  await expect(runner('ok', { timeoutMs: 300 }).raw(['sleep'])).rejects.toThrow('analytics-dev: terraform sleep timed out after 0s');
});

test('binary: option, then MWAA_GITOPS_TERRAFORM_BIN, then terraform', () => {
  expect(resolveTerraformBin('tofu', {})).toBe('tofu');
  expect(resolveTerraformBin(undefined, { MWAA_GITOPS_TERRAFORM_BIN: '/opt/tofu' })).toBe('/opt/tofu');
  expect(resolveTerraformBin(undefined, {})).toBe('terraform');
});

test('Error blocks are parsed from human output', () => {
  const text = '\n│ Error: No valid credential sources found\n│\n│   with provider["aws"],\n│ \n╵\nWarning: x\n';
  expect(parseErrorBlocks(text)).toEqual([{ severity: 'error', summary: 'No valid credential sources found', detail: 'with provider["aws"],' }]);
});

test('terraform and the provider run with GOGC=400 unless the user set GOGC; a GOGC the user set reaches them unchanged', async () => {
  expect(DEFAULT_GOGC).toBe('400');
  const work = path.join(dir, '.mwaa-gitops');
  expect(terraformEnv({ workDir: work, inherited: {} }).GOGC).toBe('400');
  expect(terraformEnv({ workDir: work, inherited: { GOGC: '100' } }).GOGC).toBeUndefined();
  const saved = process.env.GOGC;
  try {
    delete process.env.GOGC;
    await new TerraformRunner({ environment: 'analytics-dev', workingDir: dir, binary: fake, env: terraformEnv({ workDir: work }) }).init();
    process.env.GOGC = '100';
    await new TerraformRunner({ environment: 'analytics-dev', workingDir: dir, binary: fake, env: terraformEnv({ workDir: work }) }).plan({ out: 'p.plan' });
  } finally {
    if (saved === undefined) delete process.env.GOGC;
    else process.env.GOGC = saved;
  }
  expect(fs.readFileSync(path.join(dir, 'gogc.log'), 'utf8').trim().split('\n')).toEqual(['400', '100']);
});
