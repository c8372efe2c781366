/**
 * Shared set-up of the reconcile end-to-end suites (test/e2e/reconcile-*.e2e.test.ts): the CLI in-process with
 * real terraform against moto + the MWAA fake, on the repository's dev and prod examples (the fallback specs when
 * they are absent). Each suite file calls {@link reconcileFixture} once and gets its own emulators and work
 * directory, so the suites share nothing and run on separate jest workers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { MWAAClient, GetEnvironmentCommand } from '@aws-sdk/client-mwaa';
import { S3Client } from '@aws-sdk/client-s3';
import { main } from '../../src/cli/index';
import { Emulators, startEmulators, TEST_ACCOUNT_ID, TEST_REGION } from '../../src/sandbox/emulators';

const repoDir = path.resolve(__dirname, '..', '..');
export const DEV = 'analytics-dev';
export const PROD = 'analytics-prod';

/** A public-routing dev spec without artifacts: the base of the environments a test creates beside the examples. */
export const PUBLIC_DEV_SPEC = `apiVersion: mwaa-gitops/v1
name: ${DEV}
region: us-east-1
tags:
  team: analytics
airflow:
  version: "2.10.3"
  workers: { min: 1, max: 5 }
  webserverAccess: PUBLIC_ONLY
  configuration:
    core.default_timezone: utc
network:
  mode: create
  routing: public
`;

export interface ReconcileFixture {
  /** Set in beforeAll. */
  em: Emulators;
  work: string;
  target: string;
  /** The account the prod example names (before it is moved to the emulated account). */
  prodAccount?: string;
  cli(args: string[]): Promise<{ code: number; out: string; err: string }>;
  /** `cli` with the emulated target. */
  tf(cmd: string, ...rest: string[]): Promise<{ code: number; out: string; err: string }>;
  specFile(name: string): string;
  editSpec(name: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void;
  mwaa(): MWAAClient;
  s3(): S3Client;
  ec2(): EC2Client;
  iam(): IAMClient;
  kms(): KMSClient;
  waitAvailable(name: string): Promise<void>;
}

/** Registers beforeAll / afterAll: emulators, a work directory with the dev and prod examples moved to the emulated account. */
export function reconcileFixture(): ReconcileFixture {
  const clientConfig = () => ({ region: TEST_REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const f: ReconcileFixture = {
    em: undefined as unknown as Emulators,
    work: '',
    target: '',
    async cli(args) {
      let out = '';
      let err = '';
      const w = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
      const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
      process.exitCode = undefined;
      try {
        return { code: await main(['node', 'mwaa-gitops', '-C', f.work, ...args]), out, err };
      } finally {
        w.mockRestore();
        e.mockRestore();
        process.exitCode = undefined;
      }
    },
    tf: (cmd, ...rest) => f.cli([cmd, ...rest, '--provider-args', f.target]),
    specFile: (name) => path.join(f.work, 'environments', `${name}.yaml`),
    editSpec(name, edit) {
      const doc = parseDocument(fs.readFileSync(f.specFile(name), 'utf8'));
      edit(doc);
      fs.writeFileSync(f.specFile(name), doc.toString());
    },
    mwaa: () => new MWAAClient({ ...clientConfig(), endpoint: `http://127.0.0.1:${f.em.mwaa.listenPort}`, disableHostPrefix: true }),
    s3: () => new S3Client({ ...clientConfig(), endpoint: f.em.target.endpoints.s3, forcePathStyle: true }),
    ec2: () => new EC2Client({ ...clientConfig(), endpoint: f.em.moto.endpoint }),
    iam: () => new IAMClient({ ...clientConfig(), endpoint: f.em.moto.endpoint }),
    kms: () => new KMSClient({ ...clientConfig(), endpoint: f.em.moto.endpoint }),
    async waitAvailable(name) {
      for (let i = 0; i < 100; i++) {
        const r = await f.mwaa().send(new GetEnvironmentCommand({ Name: name }));
        if (r.Environment?.Status === 'AVAILABLE') return;
        await new Promise((res) => setTimeout(res, 100));
      }
      throw new Error(`${name} never became AVAILABLE`);
    },
  };

  beforeAll(async () => {
    f.em = await startEmulators({ mwaa: { transitionDelayMs: 500 } });
    f.work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-reconcile-e2e-')));
    fs.mkdirSync(path.join(f.work, 'environments'));
    // The repository's examples (with everything they reference): a missing example fails the suite, never a stand-in.
    for (const name of [DEV, PROD]) {
      fs.writeFileSync(f.specFile(name), fs.readFileSync(path.join(repoDir, 'environments', `${name}.yaml`), 'utf8'));
    }
    // Bases (environments/_*.yaml) and the artifacts the examples reference.
    for (const file of fs.readdirSync(path.join(repoDir, 'environments'))) {
      if (file.startsWith('_')) fs.copyFileSync(path.join(repoDir, 'environments', file), path.join(f.work, 'environments', file));
    }
    for (const dir of ['airflow', 'dags', 'artifacts', 'files', 'requirements', 'plugins']) {
      const src = path.join(repoDir, dir);
      if (fs.existsSync(src)) fs.cpSync(src, path.join(f.work, dir), { recursive: true });
    }
    // The emulated target: the account moto answers (the examples' guard names a real one) and local state (the
    // prod example keeps state in an S3 backend of its real account).
    for (const name of [DEV, PROD]) {
      f.editSpec(name, (doc) => {
        if (doc.has('account')) {
          f.prodAccount = String(doc.get('account'));
          doc.set('account', TEST_ACCOUNT_ID);
          // The web-login roles move with it: a role of another account is refused (MWAA-IAM-004), never attached by
          // name in the deploying account.
          const web = doc.getIn(['iam', 'webAccess']) as { toJSON(): Record<string, string[]> } | undefined;
          if (web) {
            const moved = Object.fromEntries(Object.entries(web.toJSON()).map(([role, arns]) => [role, arns.map((a) => a.replace(`:iam::${f.prodAccount}:`, `:iam::${TEST_ACCOUNT_ID}:`))]));
            doc.setIn(['iam', 'webAccess'], moved);
          }
        }
        if (doc.has('state')) doc.set('state', { backend: 'local' });
      });
    }
    // Roles the prod example grants web login to exist in its account before the environment (created here in moto).
    for (const role of ['platform-admins', 'analysts']) {
      await f.iam().send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] }) }));
    }
    f.target = f.em.writeTarget(path.join(f.work, '.target.json'));
  });

  afterAll(async () => {
    await f.em?.stop();
    if (f.work) fs.rmSync(f.work, { recursive: true, force: true });
  });

  return f;
}
