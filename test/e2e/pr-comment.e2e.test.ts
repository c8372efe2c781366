/**
 * PR comment from real plans: a pull request adds two environments; each is synthesized and planned by real
 * terraform against the emulators (`terraform show -json`), and `pr-comment --plan-json` renders the result.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/index';
import { resolveProviderMirror, terraformEnv } from '../../src/terraform/cliconfig';
import { TerraformRunner } from '../../src/terraform/runner';
import { Emulators, startEmulators } from '../../src/sandbox/emulators';
import { writeVariablesTarget } from '../support/variables-target';

const repoDir = path.resolve(__dirname, '..', '..');
let em: Emulators;
let work: string;

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const w = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  process.exitCode = undefined;
  try {
    return { code: await main(['node', 'mwaa-gitops', ...args]), out };
  } finally {
    w.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: work, encoding: 'utf8' });
const spec = (name: string, max: number) =>
  `apiVersion: mwaa-gitops/v1\nname: ${name}\nregion: us-east-1\nairflow:\n  version: "2.10.3"\n  workers: { min: 1, max: ${max} }\n`;

beforeAll(async () => {
  em = await startEmulators();
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-prc-e2e-')));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 't');
  fs.writeFileSync(path.join(work, '.gitignore'), 'cdktf.out/\n.mwaa-gitops/\nplans/\n.target.json\n');
  fs.writeFileSync(path.join(work, 'README.md'), 'x\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'empty');
  git('checkout', '-q', '-b', 'feature');
  fs.mkdirSync(path.join(work, 'environments'));
  fs.writeFileSync(path.join(work, 'environments/alpha.yaml'), spec('alpha', 4));
  fs.writeFileSync(path.join(work, 'environments/beta.yaml'), spec('beta', 6));
  git('add', '-A');
  git('commit', '-q', '-m', 'two environments');
});

afterAll(async () => {
  await em?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('two new environments planned by terraform, rendered into one comment', async () => {
  // the emulators' endpoints as AWS_ENDPOINT_URL_* variables, as the CLI's plan gives them (no endpoints block)
  const target = writeVariablesTarget(em, path.join(work, '.target.json'));
  expect((await cli(['-C', work, 'synth', '--provider-args', target.file])).code).toBe(0);
  const plans = path.join(work, 'plans');
  fs.mkdirSync(plans);
  const env = terraformEnv({ workDir: path.join(repoDir, '.mwaa-gitops'), providerMirror: resolveProviderMirror() });
  const creates: Record<string, number> = {};
  for (const name of ['alpha', 'beta']) {
    const tf = new TerraformRunner({ environment: name, workingDir: path.join(work, 'cdktf.out', 'stacks', name), env: { ...env, ...em.awsEnv, ...target.env } });
    await tf.init();
    await tf.plan({ out: 'p.plan' });
    const plan = await tf.showPlan('p.plan');
    creates[name] = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed' && rc.change.actions.includes('create')).length;
    fs.writeFileSync(path.join(plans, `${name}.json`), JSON.stringify(plan));
  }
  expect(creates.alpha).toBeGreaterThan(10);
  const r = await cli(['-C', work, 'pr-comment', '--base', 'main', '--plan-json', plans]);
  expect(r.code).toBe(0);
  const md = r.out;
  expect(md.startsWith('<!-- mwaa-gitops:pr-comment -->')).toBe(true);
  expect(md).toContain('**Validation: ✅ 2 environments valid**');
  expect(md).toContain(`| \`alpha\` | new | +${creates.alpha} ~0 -0 |`);
  expect(md).toContain(`| \`beta\` | new | +${creates.beta} ~0 -0 |`);
  expect(md).toContain(`<details><summary>Plan: ${creates.alpha} to add, 0 to change, 0 to destroy</summary>`);
  expect(md).toContain('`aws_mwaa_environment.environment`');
  expect(md).not.toContain('Dangers');
  expect(md.length).toBeLessThan(65536);
});
