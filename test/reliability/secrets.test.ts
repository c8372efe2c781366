/**
 * Planted secrets, and topology that must stay visible.
 *
 * Planted: unique values in secret options (smtp.smtp_password, an option ending in _token), in credential URIs (under
 * a harmless option name and under `mycompany.db_conn`), in a `password=` connection string, and in an
 * extraPolicyStatements condition with a secret key, in both the base commit and the working tree. Every command the
 * CLI offers that reads specs (the program itself, `main`, run in process: test/gitops/cli-run.ts captures all it
 * writes to stdout and stderr, terraform's output included, which the tool pipes and forwards; a child process would
 * add only Node's start-up) runs in every output format (validate text/json/sarif/github, show, diff
 * text/markdown/json, cost, synth, plan text/markdown/json against the offline provider with --json-out, drift,
 * pr-comment from the plan JSON `plan --json-out` wrote and from the raw `terraform show -json`); none of their
 * stdout/stderr contains a planted value, and neither does any file the tool writes, except the ones that must carry
 * the values to AWS: cdk.tf.json, Terraform's saved plan (.tfplan) and Terraform's own directories/state.
 *
 * Visible: the change moves `network.privateSubnets` (10.192.20.0/24, 10.192.21.0/24 -> 10.192.30.0/24,
 * 10.192.31.0/24): diff, the PR comment and validate's source lines show both CIDRs, never a mask.
 *
 * Every command runs once, in beforeAll, in a fixed order; the tests only read the outputs, so they pass alone and in
 * any order.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TempRepo } from '../gitops/git-repo';
import { OFFLINE_PROVIDER_OVERRIDES, terraform } from '../support/terraform-validate';
import { runCli } from '../gitops/cli-run';

function secrets(tag: string) {
  return {
    smtp: `PLANTED${tag}smtpPw7f3a`,
    conn: `PLANTED${tag}connPw91c2`,
    token: `PLANTED${tag}apiTok55d1`,
    uri: `PLANTED${tag}uriPw0b8e`,
    cond: `PLANTED${tag}condTok4e0`,
    kv: `PLANTED${tag}kvPw33aa`,
  };
}
const OLD = secrets('Old');
const NEW = secrets('New');
const ALL = [...Object.values(OLD), ...Object.values(NEW)];
const OLD_SUBNETS = ['10.192.20.0/24', '10.192.21.0/24'];
const NEW_SUBNETS = ['10.192.30.0/24', '10.192.31.0/24'];

function spec(s: ReturnType<typeof secrets>, workersMax: number, subnets: string[], opts: { badToken?: boolean } = {}): string {
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
    custom.dsn: "Server=db.internal;User=airflow;Password=${s.kv};"
${opts.badToken ? `    Custom.Bad_Token: ${s.token}\n` : ''}network:
  mode: create
  routing: public
  vpcCidr: 10.192.0.0/16
  publicSubnets: [10.192.10.0/24, 10.192.11.0/24]
  privateSubnets: [${subnets.join(', ')}]
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

jest.setTimeout(600000); // three offline plans: terraform starts the aws provider for each plan and show

describe('planted secrets never appear in the tool’s output or files; topology always does', () => {
  const repo = new TempRepo('mwaa-secrets-');
  const outputs: Out[] = [];
  const planDir = path.join(path.dirname(repo.dir), `${path.basename(repo.dir)}-plans`);
  const rawPlanDir = `${planDir}-raw`;
  let rawPlanJson = '';
  const run = async (args: string[]): Promise<Out> => {
    const r = await runCli(['-C', repo.dir, ...args]);
    const o = { cmd: args.join(' '), code: r.code, text: `${r.stdout}\n${r.stderr}` };
    outputs.push(o);
    return o;
  };
  const out = (prefix: string): Out => {
    const o = outputs.find((x) => x.cmd.startsWith(prefix));
    if (!o) throw new Error(`no run of ${prefix}`);
    return o;
  };

  beforeAll(async () => {
    const noColor = process.env.NO_COLOR;
    process.env.NO_COLOR = '1';
    repo.write('environments/sec-env.yaml', spec(OLD, 2, OLD_SUBNETS)).commit('base');
    // the working tree: new secrets, the subnets moved, an upper-case option (MWAA-CFG-001 error on a line holding a
    // secret) and overlapping subnets (an error on the privateSubnets line)
    repo.write('environments/sec-env.yaml', spec(NEW, 3, [NEW_SUBNETS[0], NEW_SUBNETS[0]], { badToken: true }));
    fs.writeFileSync(path.join(repo.dir, 'target.json'), JSON.stringify(OFFLINE_PROVIDER_OVERRIDES));
    for (const f of ['text', 'json', 'sarif', 'github']) await run(['validate', '--format', f, '--strict']);
    // valid from here on
    repo.write('environments/sec-env.yaml', spec(NEW, 3, NEW_SUBNETS));
    repo.git('add', '-A');
    await run(['show', 'sec-env']);
    for (const f of ['text', 'markdown', 'json']) await run(['diff', '--base', 'main', '--format', f]);
    await run(['diff', '--base', 'main', '--detailed-exitcode']);
    await run(['cost', 'sec-env', '--base', 'main']);
    await run(['synth']);
    const target = path.join(repo.dir, 'target.json');
    await run(['plan', '--provider-args', target, '--format', 'text']);
    await run(['plan', '--provider-args', target, '--format', 'markdown', '--detailed-exitcode']);
    await run(['plan', '--provider-args', target, '--format', 'json', '--json-out', planDir]);
    await run(['drift', '--provider-args', target]);
    await run(['pr-comment', '--base', 'main', '--plan-json', planDir]);
    // and from the raw plan JSON (terraform show -json of the saved plan: the values are in it, it is Terraform's file)
    const show = terraform(path.join(repo.dir, 'cdktf.out', 'stacks', 'sec-env'), ['show', '-json', '-no-color', path.join(repo.dir, '.mwaa-gitops', 'plans', 'sec-env.tfplan')]);
    rawPlanJson = show.stdout;
    fs.mkdirSync(rawPlanDir, { recursive: true });
    fs.writeFileSync(path.join(rawPlanDir, 'sec-env.json'), show.stdout);
    await run(['pr-comment', '--base', 'main', '--plan-json', rawPlanDir]);
    if (noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = noColor;
  });
  afterAll(() => {
    repo.cleanup();
    fs.rmSync(planDir, { recursive: true, force: true });
    fs.rmSync(rawPlanDir, { recursive: true, force: true });
  });

  test('exit codes as documented: 0 success with or without changes, 2 only with --detailed-exitcode, 1 invalid', () => {
    for (const f of ['text', 'json', 'sarif', 'github']) expect([f, out(`validate --format ${f}`).code]).toEqual([f, 1]);
    expect(out('show').code).toBe(0);
    for (const f of ['text', 'markdown', 'json']) expect([f, out(`diff --base main --format ${f}`).code]).toEqual([f, 0]);
    expect(out('diff --base main --detailed-exitcode').code).toBe(2);
    expect(out('cost').code).toBe(0);
    expect(out('synth').code).toBe(0);
    expect(out('plan --provider-args').code).toBe(0); // changes, and exit 0
    expect(outputs.find((o) => o.cmd.includes('--detailed-exitcode') && o.cmd.startsWith('plan'))?.code).toBe(2);
    expect(outputs.filter((o) => o.cmd.startsWith('plan')).map((o) => o.code)).toEqual([0, 2, 0]);
    expect(out('drift').code).toBe(0);
    expect(outputs.filter((o) => o.cmd.startsWith('pr-comment')).map((o) => o.code)).toEqual([0, 0]);
    expect(rawPlanJson).toContain(NEW.smtp); // proves the raw plan JSON carries the secret the comment must hide
  });

  test('validate reports findings on secret lines without the values, and shows topology lines as written', () => {
    for (const f of ['text', 'json', 'sarif', 'github']) expect(out(`validate --format ${f}`).text).toContain('MWAA-CFG-001');
    const text = out('validate --format text').text;
    expect(text).toMatch(/\| {5}Custom\.Bad_Token: \*\*\*\*/);
    expect(text).toMatch(/custom\.endpoint: https:\/\/bot:\*\*\*\*@example\.com\/api/);
    expect(text).toMatch(new RegExp(`\\| {3}privateSubnets: \\[${NEW_SUBNETS[0].replace(/[./]/g, '\\$&')}, ${NEW_SUBNETS[0].replace(/[./]/g, '\\$&')}\\]`));
  });

  test('a subnet move shows both CIDR lists in diff (every format) and in the PR comment, with the danger it implies', () => {
    const both = (t: string) => [...OLD_SUBNETS, ...NEW_SUBNETS].every((c) => t.includes(c));
    for (const f of ['text', 'markdown', 'json']) expect([f, both(out(`diff --base main --format ${f}`).text)]).toEqual([f, true]);
    expect(out('diff --base main --format text').text).toContain(`~ network.privateSubnets: ["${OLD_SUBNETS.join('","')}"] -> ["${NEW_SUBNETS.join('","')}"]`);
    expect(out('diff --base main --format text').text).toContain('DANGER: replaces sec-env; loses the metadata database');
    for (const o of outputs.filter((x) => x.cmd.startsWith('pr-comment'))) {
      expect(both(o.text)).toBe(true);
      expect(o.text).toContain('replaces `sec-env`');
      expect(o.text).not.toMatch(/privateSubnets[^\n]*\(masked\)|privateSubnets: \*\*\*\*/);
    }
  });

  test('no planted value in any stdout/stderr', () => {
    expect(outputs.length).toBe(4 + 1 + 3 + 1 + 1 + 1 + 3 + 1 + 2);
    const leaks = outputs.flatMap((o) => ALL.filter((s) => o.text.includes(s)).map((s) => `${o.cmd}: ${s}`));
    expect(leaks).toEqual([]);
    // the outputs did talk about the secret options (so the check is not vacuous)
    expect(outputs.filter((o) => /smtp\.smtp_password|mycompany\.db_conn/.test(o.text)).length).toBeGreaterThanOrEqual(8);
    for (const o of outputs.filter((x) => x.cmd.startsWith('pr-comment'))) expect(o.text).toContain('smtp.smtp_password');
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
    const walk = (d: string, base: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p, base);
        else files.push(path.relative(base, p));
      }
    };
    walk(repo.dir, repo.dir);
    const written = files.filter((f) => !carriers(f) && f !== 'target.json');
    expect(written.length).toBeGreaterThan(0); // e.g. .mwaa-gitops/terraform.rc, cdktf.out/manifest.json
    // the plan JSON written by `plan --json-out` (uploaded as a CI artifact) is a file the tool wrote, too
    expect(fs.readdirSync(planDir)).toEqual(['sec-env.json']);
    const leaks = [...written.map((f) => path.join(repo.dir, f)), path.join(planDir, 'sec-env.json')].flatMap((f) => {
      const text = fs.readFileSync(f, 'latin1');
      return ALL.filter((s) => text.includes(s)).map((s) => `${f}: ${s}`);
    });
    expect(leaks).toEqual([]);
    // and the carriers do carry them (Terraform must receive the values)
    const tf = fs.readFileSync(path.join(repo.dir, 'cdktf.out', 'stacks', 'sec-env', 'cdk.tf.json'), 'utf8');
    expect(tf).toContain(NEW.smtp);
  });
});
