/**
 * Planted secrets: unique values in secret-looking configuration options, in credential URIs (under a secret and
 * a harmless option name) and in an extraPolicyStatements condition with a secret-looking key, in both the base
 * commit and the working tree. Every command the compiled CLI offers that reads specs runs in every output
 * format (validate text/json/sarif/github, show, diff text/markdown/json, cost, synth, plan text/markdown/json
 * against the offline provider, drift, pr-comment with the real plan JSON); none of their stdout/stderr contains
 * a planted value, and neither does any file the tool writes, except the ones that must carry the values to AWS:
 * cdk.tf.json, Terraform's saved plan (.tfplan) and Terraform's own directories/state.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TempRepo } from '../gitops/git-repo';
import { OFFLINE_PROVIDER_OVERRIDES, terraform } from '../support/terraform-validate';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'mwaa-gitops');

function secrets(tag: string) {
  return {
    smtp: `PLANTED${tag}smtpPw7f3a`,
    conn: `PLANTED${tag}connPw91c2`,
    token: `PLANTED${tag}apiTok55d1`,
    uri: `PLANTED${tag}uriPw0b8e`,
    cond: `PLANTED${tag}condTok4e0`,
  };
}
const OLD = secrets('Old');
const NEW = secrets('New');
const ALL = [...Object.values(OLD), ...Object.values(NEW)];

function spec(s: ReturnType<typeof secrets>, workersMax: number): string {
  return `apiVersion: mwaa-gitops/v1
name: sec-env
region: eu-west-1
account: "123456789012"
airflow:
  version: 2.10.3
  workers: { min: 1, max: ${workersMax} }
  configuration:
    smtp.smtp_password: ${s.smtp}
    mycompany.db_conn: postgresql://airflow:${s.conn}@db.internal:5432/airflow
    mycompany.api_token: ${s.token}
    custom.endpoint: https://bot:${s.uri}@example.com/api
    Custom.Bad_Token: ${s.token}
network:
  mode: create
  routing: public
  vpcCidr: 10.192.0.0/16
  publicSubnets: [10.192.10.0/24, 10.192.11.0/24]
  privateSubnets: [10.192.20.0/24, 10.192.21.0/24]
  availabilityZoneIds: [euw1-az1, euw1-az2]   # pinned: no zone lookup, plan and drift stay offline
bucket:
  name: sec-env-bucket-123
iam:
  extraPolicyStatements:
    - Effect: Allow
      Action: [s3:GetObject]
      Resource: [arn:aws:s3:::data/*]
      Condition:
        StringEquals:
          aws:PrincipalTag/api_token: ${s.cond}
state:
  backend: local
`;
}

interface Out {
  cmd: string;
  code: number | null;
  text: string;
}

describe('planted secrets never appear in the tool’s output or files', () => {
  const repo = new TempRepo('mwaa-secrets-');
  const outputs: Out[] = [];
  const run = (args: string[]): Out => {
    const r = spawnSync(process.execPath, [BIN, '-C', repo.dir, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300000, maxBuffer: 64 * 1024 * 1024 });
    const o = { cmd: args.join(' '), code: r.status, text: `${r.stdout}\n${r.stderr}` };
    outputs.push(o);
    return o;
  };

  beforeAll(() => {
    repo.write('environments/sec-env.yaml', spec(OLD, 2)).commit('base');
    repo.write('environments/sec-env.yaml', spec(NEW, 3));
    fs.writeFileSync(path.join(repo.dir, 'target.json'), JSON.stringify(OFFLINE_PROVIDER_OVERRIDES));
  });
  afterAll(() => repo.cleanup());

  test('validate (every format) reports the findings on secret lines without the values', () => {
    for (const f of ['text', 'json', 'sarif', 'github']) {
      const o = run(['validate', '--format', f, '--strict']);
      // Custom.Bad_Token is an upper-case option (MWAA-CFG-001 error): the finding's line holds a secret
      expect(o.code).toBe(1);
      expect(o.text).toContain('MWAA-CFG-001');
    }
    const text = outputs.find((o) => o.cmd.startsWith('validate --format text'))!.text;
    expect(text).toMatch(/\| {5}Custom\.Bad_Token: \*\*\*\*/);
    expect(text).toMatch(/custom\.endpoint: https:\/\/bot:\*\*\*\*@example\.com\/api/);
  });

  test('the remaining commands, each format; exit codes as documented', () => {
    // make the spec valid for the commands that need a valid spec
    repo.write('environments/sec-env.yaml', spec(NEW, 3).replace(/^ {4}Custom\.Bad_Token:.*\n/m, ''));
    repo.git('add', '-A');
    expect(run(['show', 'sec-env']).code).toBe(0);
    for (const f of ['text', 'markdown', 'json']) expect(run(['diff', '--base', 'main', '--format', f]).code).toBe(2); // 2: changes found
    expect(run(['cost', 'sec-env', '--base', 'main']).code).toBe(0);
    expect(run(['synth']).code).toBe(0);
    for (const f of ['text', 'markdown', 'json']) expect(run(['plan', '--target', path.join(repo.dir, 'target.json'), '--format', f]).code).toBe(2);
    expect(run(['drift', '--target', path.join(repo.dir, 'target.json')]).code).toBe(0);
    // pr-comment from the real plan: terraform show -json of the saved plan (the values are in it: Terraform's file)
    const stackDir = path.join(repo.dir, 'cdktf.out', 'stacks', 'sec-env');
    const planFile = path.join(repo.dir, '.mwaa-gitops', 'plans', 'sec-env.tfplan');
    expect(fs.existsSync(planFile)).toBe(true);
    const show = terraform(stackDir, ['show', '-json', '-no-color', planFile]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(NEW.smtp); // proves the plan JSON carries the secret the comment must hide
    const planDir = path.join(path.dirname(repo.dir), `${path.basename(repo.dir)}-plans`);
    fs.mkdirSync(planDir, { recursive: true });
    fs.writeFileSync(path.join(planDir, 'sec-env.json'), show.stdout);
    const pr = run(['pr-comment', '--base', 'main', '--plan-json', planDir]);
    expect(pr.code).toBe(0);
    expect(pr.text).toContain('smtp.smtp_password');
    fs.rmSync(planDir, { recursive: true, force: true });
  });

  test('no planted value in any stdout/stderr', () => {
    expect(outputs.length).toBe(4 + 1 + 3 + 1 + 1 + 3 + 1 + 1);
    const leaks = outputs.flatMap((o) => ALL.filter((s) => o.text.includes(s)).map((s) => `${o.cmd}: ${s}`));
    expect(leaks).toEqual([]);
    // the outputs did talk about the secret options (so the check is not vacuous)
    expect(outputs.filter((o) => /smtp\.smtp_password|mycompany\.db_conn/.test(o.text)).length).toBeGreaterThanOrEqual(8);
  });

  test('no planted value in files the tool wrote, outside the files that carry them to AWS', () => {
    const carriers = (rel: string) =>
      rel === path.join('environments', 'sec-env.yaml') ||
      rel.startsWith('.git' + path.sep) ||
      rel.split(path.sep).includes('.terraform') ||
      rel.endsWith('.tfplan') ||
      /terraform\.tfstate(\.backup|\.last-good)?$/.test(rel) ||
      rel.endsWith('cdk.tf.json');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else files.push(path.relative(repo.dir, p));
      }
    };
    walk(repo.dir);
    const written = files.filter((f) => !carriers(f) && f !== 'target.json');
    expect(written.length).toBeGreaterThan(0); // e.g. .mwaa-gitops/terraform.rc, cdktf.out/manifest.json
    const leaks = written.flatMap((f) => {
      const text = fs.readFileSync(path.join(repo.dir, f), 'latin1');
      return ALL.filter((s) => text.includes(s)).map((s) => `${f}: ${s}`);
    });
    expect(leaks).toEqual([]);
    // and the carriers do carry them (Terraform must receive the values)
    const tf = fs.readFileSync(path.join(repo.dir, 'cdktf.out', 'stacks', 'sec-env', 'cdk.tf.json'), 'utf8');
    expect(tf).toContain(NEW.smtp);
  });
});
