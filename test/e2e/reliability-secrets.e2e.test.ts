/**
 * Planted secrets through a full run on the emulators: apply, drift injected through the AWS SDK (a secret
 * configuration option changed to another planted value), drift in every format, drift --reconcile and the plan it
 * runs after its apply.
 * No planted value appears in any stdout/stderr or in any file the tool wrote, except those that carry the values
 * to AWS (cdk.tf.json, Terraform's saved plans, state and .terraform directories).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetEnvironmentCommand, MWAAClient, UpdateEnvironmentCommand } from '@aws-sdk/client-mwaa';
import { Emulators, startEmulators, TEST_ACCOUNT_ID, TEST_REGION } from '../../src/sandbox/emulators';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'mwaa-gitops');
const NAME = 'secret-run';
const SECRETS = {
  smtp: 'PLANTEDe2eSmtpPw3c1d',
  conn: 'PLANTEDe2eConnPw8a2f',
  cond: 'PLANTEDe2eCondTok77b0',
  drifted: 'PLANTEDe2eDriftedPw0e9a',
};

let em: Emulators;
let work: string;
let target: string;
const outputs: Array<{ cmd: string; code: number | null; text: string }> = [];

function cli(args: string[]): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '-C', work, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += String(d)));
    child.stderr.on('data', (d) => (text += String(d)));
    child.on('close', (code) => {
      outputs.push({ cmd: args.join(' '), code, text });
      resolve({ code, text });
    });
  });
}

beforeAll(async () => {
  em = await startEmulators({ mwaa: { transitionDelayMs: 500 } });
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-secrets-e2e-')));
  fs.mkdirSync(path.join(work, 'environments'));
  target = em.writeTarget(path.join(work, '.target.json'));
  fs.writeFileSync(
    path.join(work, 'environments', `${NAME}.yaml`),
    `apiVersion: mwaa-gitops/v1
name: ${NAME}
region: us-east-1
account: "${TEST_ACCOUNT_ID}"
airflow:
  version: "2.10.3"
  workers: { min: 1, max: 2 }
  configuration:
    smtp.smtp_password: ${SECRETS.smtp}
    mycompany.db_conn: postgresql://airflow:${SECRETS.conn}@db.internal:5432/airflow
network:
  mode: create
  routing: public
  vpcCidr: 10.90.0.0/16
  publicSubnets: [10.90.10.0/24, 10.90.11.0/24]
  privateSubnets: [10.90.20.0/24, 10.90.21.0/24]
bucket:
  name: ${NAME}-bucket-e2e
iam:
  extraPolicyStatements:
    - Effect: Allow
      Action: [s3:GetObject]
      Resource: [arn:aws:s3:::data/*]
      Condition:
        StringEquals:
          aws:PrincipalTag/api_token: ${SECRETS.cond}
state:
  backend: local
`,
  );
}, 120000);

afterAll(async () => {
  await em?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('apply, drift (secret option changed out of band), reconcile and its next plan: no planted value in output or tool files', async () => {
  expect((await cli(['validate', '--format', 'text'])).code).toBe(0);
  expect((await cli(['plan', NAME, '--provider-args', target, '--format', 'text'])).code).toBe(0);
  const applied = await cli(['apply', NAME, '--auto-approve', '--provider-args', target]);
  expect(applied.code).toBe(0);

  const mwaa = new MWAAClient({ region: TEST_REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, endpoint: `http://127.0.0.1:${em.mwaa.listenPort}`, disableHostPrefix: true });
  const current = await mwaa.send(new GetEnvironmentCommand({ Name: NAME }));
  await mwaa.send(
    new UpdateEnvironmentCommand({ Name: NAME, AirflowConfigurationOptions: { ...(current.Environment?.AirflowConfigurationOptions ?? {}), 'smtp.smtp_password': SECRETS.drifted } }),
  );
  for (let i = 0; i < 100 && em.mwaa.environments.get(NAME)?.Status !== 'AVAILABLE'; i++) await new Promise((r) => setTimeout(r, 100));

  for (const f of ['text', 'markdown', 'json']) {
    const d = await cli(['drift', NAME, '--provider-args', target, '--format', f]);
    expect(d.code).toBe(2);
    expect(d.text).toContain('smtp.smtp_password');
  }
  const reconciled = await cli(['drift', NAME, '--reconcile', '--provider-args', target]);
  expect(reconciled.code).toBe(0);
  expect(em.mwaa.environments.get(NAME)?.AirflowConfigurationOptions?.['smtp.smtp_password']).toBe(SECRETS.smtp);
  // --reconcile plans again after its apply (a plan after it would repeat that plan; its JSON holds no value)
  expect(reconciled.text).toContain('next plan: no changes');

  const leaks = outputs.flatMap((o) => Object.values(SECRETS).filter((s) => o.text.includes(s)).map((s) => `${o.cmd}: ${s}`));
  expect(leaks).toEqual([]);

  const carriers = (rel: string) =>
    rel.startsWith('environments' + path.sep) || rel.split(path.sep).includes('.terraform') || rel.endsWith('.tfplan') || /terraform\.tfstate(\.backup|\.last-good)?$/.test(rel) || rel.endsWith('cdk.tf.json');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(path.relative(work, p));
    }
  };
  walk(work);
  const written = files.filter((f) => !carriers(f) && f !== '.target.json');
  expect(written.length).toBeGreaterThan(0);
  const fileLeaks = written.flatMap((f) => {
    const text = fs.readFileSync(path.join(work, f), 'latin1');
    return Object.values(SECRETS).filter((s) => text.includes(s)).map((s) => `${f}: ${s}`);
  });
  expect(fileLeaks).toEqual([]);
  console.log(`[reliability] planted-secret full run: ${outputs.length} commands, ${written.length} tool files checked (${written.join(', ')})`);
});
