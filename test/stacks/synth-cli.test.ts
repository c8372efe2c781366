import * as fs from 'fs';
import * as path from 'path';
import { run as synth } from '../../src/cli/synth';
import { loadTarget } from '../../src/synth';
import { providerArgsOf } from '../../src/cli/plan';
import { buildProgram } from '../../src/cli/index';
import { tempRepo } from './fixtures';

function repoWith(files: Record<string, string>): string {
  const root = tempRepo('mwaa-synth-cli-');
  for (const [f, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), text);
  }
  return root;
}

const DEV = [
  'apiVersion: mwaa-gitops/v1',
  'name: dev',
  'region: us-east-1',
  'account: "123456789012"',
  'airflow:',
  '  version: "2.10.3"',
  '  environmentClass: mw1.small',
  'bucket:',
  '  requirements:',
  '    source: airflow/requirements.txt',
  '',
].join('\n');

describe('mwaa-gitops synth', () => {
  it('validates, synthesizes every environment and prints one line per environment', () => {
    const root = repoWith({
      'environments/dev.yaml': DEV,
      'environments/stage.yaml': DEV.replace('name: dev', 'name: stage'),
      'airflow/requirements.txt': 'apache-airflow-providers-amazon==8.16.0\n',
    });
    try {
      const { exitCode, stdout: output } = synth({ targets: [], repo: root });
      expect(exitCode).toBe(0);
      const lines = output.trim().split('\n').filter((l) => / resources\)$/.test(l));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^dev: .*cdktf\.out\/stacks\/dev\/cdk\.tf\.json \(\d+ resources\)$/);
      const tf = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.out/stacks/dev/cdk.tf.json'), 'utf8'));
      expect(tf.resource.aws_mwaa_environment.environment.name).toBe('dev');
      expect(tf.resource.aws_s3_object.artifact_requirements.source).toBe('${path.module}/../../../airflow/requirements.txt');
      expect(tf.provider.aws[0].skip_credentials_validation).toBeUndefined();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('synthesizes only the named environments, to --out, with --target provider arguments', () => {
    const root = repoWith({ 'environments/dev.yaml': DEV, 'environments/stage.yaml': DEV.replace('name: dev', 'name: stage'), 'airflow/requirements.txt': 'x==1\n', 'target.json': '{"skip_credentials_validation": true}' });
    try {
      const out = path.join(root, 'elsewhere');
      const { exitCode } = synth({ targets: ['stage'], repo: root, out, providerArgs: path.join(root, 'target.json') });
      expect(exitCode).toBe(0);
      expect(fs.existsSync(path.join(out, 'stacks/stage/cdk.tf.json'))).toBe(true);
      expect(fs.existsSync(path.join(out, 'stacks/dev'))).toBe(false);
      const tf = JSON.parse(fs.readFileSync(path.join(out, 'stacks/stage/cdk.tf.json'), 'utf8'));
      expect(tf.provider.aws[0].skip_credentials_validation).toBe(true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('invalid specs: findings as text, exit 1, nothing synthesized', () => {
    const root = repoWith({ 'environments/bad.yaml': DEV.replace('name: dev', 'name: bad').replace('mw1.small', 'mw1.huge') });
    try {
      const { exitCode, stderr: output } = synth({ targets: [], repo: root });
      expect(exitCode).toBe(1);
      expect(output).toContain('bad.yaml');
      expect(output).toMatch(/environmentClass/);
      expect(fs.existsSync(path.join(root, 'cdktf.out'))).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('target file: explicit flag or MWAA_GITOPS_TARGET only; nothing by default; bad files are reported', () => {
    expect(loadTarget(undefined, {})).toBeUndefined();
    const root = repoWith({ 't.json': '{"s3_use_path_style": true}', 'bad.json': '[1]' });
    try {
      expect(loadTarget(undefined, { MWAA_GITOPS_TARGET: path.join(root, 't.json') })).toEqual({ s3_use_path_style: true });
      expect(() => loadTarget(path.join(root, 'bad.json'), {})).toThrow(/expected a JSON object/);
      expect(loadTarget(undefined, { MWAA_GITOPS_PROVIDER_ARGS: path.join(root, 't.json') })).toEqual({ s3_use_path_style: true });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('--provider-args is the option; --target is a hidden deprecated alias that warns and still works', () => {
    const warnings: string[] = [];
    expect(providerArgsOf({ target: 'a.json' }, (m) => warnings.push(m))).toEqual({ providerArgs: 'a.json', target: undefined });
    expect(warnings.join('')).toMatch(/--target is deprecated \(it is not terraform -target\): use --provider-args/);
    warnings.length = 0;
    expect(providerArgsOf({ providerArgs: 'b.json' }, (m) => warnings.push(m))).toEqual({ providerArgs: 'b.json' });
    expect(warnings).toEqual([]);
    for (const name of ['plan', 'apply', 'drift', 'destroy', 'synth', 'import']) {
      const help = buildProgram().commands.find((c) => c.name() === name)!.helpInformation();
      expect(help).toContain('--provider-args <file.json>');
      expect(help).not.toMatch(/--target\b/);
    }
  });
});
