/**
 * Issue 14, state and locking, end to end: an environment with `state.backend: s3` and Terraform's native S3 lock
 * file (`use_lockfile`), its state in moto (the emulator target's `s3_backend` arguments, src/sandbox/emulators.ts),
 * driven by the compiled CLI as a user runs it.
 *
 * One environment is applied once and reused (an apply costs tens of seconds). Its spec is the smallest that still
 * exercises the backend with many resources: network created (VPC, subnets, NAT, routes: many fast resources), the
 * source bucket existing (no bucket lifecycle configuration, after which the provider waits a fixed ~55 s).
 *  1. SIGKILL (tool and terraform) in the middle of the first apply: the S3 lock file stays behind; the next apply
 *     stops on it naming the lock object and `mwaa-gitops unlock`; unlock without a terminal and without --yes
 *     refuses and removes nothing; `unlock --yes` shows the holder and removes it; the next apply converges; moto's
 *     resources before/after: every resource created is in the state, none twice.
 *  2. Empty re-plan; out-of-band changes found by `drift` (exit 2) and reconciled by apply.
 *  3. Two applies at once from two working copies (two runners): exactly one runs; the other stops on the S3 lock,
 *     naming it and how to clear a stale one.
 *  4. The state bucket's versioning: a warning (stderr and plan output) for a bucket without it, none with it.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import {
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { IAMClient, ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { GetEnvironmentCommand, MWAAClient, UpdateEnvironmentCommand } from '@aws-sdk/client-mwaa';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { Emulators, startEmulators, TEST_ACCOUNT_ID, TEST_REGION } from '../../src/sandbox/emulators';
import { killTree } from '../support/kill-tree';
import { publicNetworkSpec } from '../support/specs';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'mwaa-gitops');
const STACK = /at .+\(.+:\d+:\d+\)/;
const ENV = 's3state';
const STATE_BUCKET = 'tfstate-e2e';
const STATE_KEY = `mwaa/${ENV}.tfstate`;
const LOCK_URI = `s3://${STATE_BUCKET}/${STATE_KEY}.tflock`;
const DAGS_BUCKET = `${ENV}-dags-e2e`;

jest.setTimeout(15 * 60 * 1000);

let em: Emulators;
let work: string;
let target: string;

function writeSpec(name: string, o: { stateBucket: string; maxWorkers: number; octet: number }): void {
  const spec = publicNetworkSpec({
    name,
    octet: o.octet,
    account: TEST_ACCOUNT_ID,
    airflow: [`workers: { min: 1, max: ${o.maxWorkers} }`],
    bucket: [`existingArn: arn:aws:s3:::${DAGS_BUCKET}`],
    state: ['backend: s3', `bucket: ${o.stateBucket}`, `key: mwaa/${name}.tfstate`, 'region: us-east-1'],
  });
  fs.writeFileSync(path.join(work, 'environments', `${name}.yaml`), spec);
}

interface Run {
  code: number | null;
  out: string;
  err: string;
  ms: number;
  killed: boolean;
}

/** The compiled CLI in its own process group, stdin not a terminal; `killWhen` polled, then SIGKILL to the group. */
function cli(args: string[], killWhen?: () => Promise<boolean>, repo = work): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '-C', repo, ...args], { detached: true, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    let done = false;
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    if (killWhen) {
      void (async () => {
        while (!done && !killed) {
          if (await killWhen().catch(() => false)) {
            killed = true;
            try {
              killTree(child.pid!);
            } catch {
              /* gone */
            }
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
    }
    const guard = setTimeout(() => killTree(child.pid!), 10 * 60 * 1000);
    child.on('close', (code) => {
      done = true;
      clearTimeout(guard);
      resolve({ code, out, err, ms: Date.now() - t0, killed });
    });
  });
}

const t = (...args: string[]) => cli([...args, '--provider-args', target]);

// A new connection for each of the test's own requests: a kept-alive socket that the emulator (or the S3 shim, whose
// keep-alive timeout is 1 s) closes while a request is sent on it fails that request ("aborted" under load in CI).
const clientConfig = () => ({
  region: TEST_REGION,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  requestHandler: { httpAgent: new http.Agent({ keepAlive: false }) },
});
/**
 * The test's own reads of the emulators: moto, under load, sometimes drops a connection while a response body is
 * read (Node: "aborted"; seen in CI), and the SDK retries requests, not bodies. Read-only calls are sent again, a few
 * times; anything else fails as before.
 */
type Stack = { middlewareStack: { add(mw: unknown, opts: { step: 'initialize'; name: string }): void } };
function retryDroppedReads<C>(client: C): C {
  const mw = (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(args);
      } catch (e) {
        const read = /^(Describe|Get|Head|List)/.test(String(context.commandName));
        const dropped = /aborted|ECONNRESET|socket hang up/i.test(String((e as Error).message));
        if (!read || !dropped) throw e;
        if (attempt >= 6) throw new Error(`${String(context.commandName)}: ${(e as Error).message} (${attempt} attempts)`);
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  };
  (client as unknown as Stack).middlewareStack.add(mw, { step: 'initialize', name: 'retryDroppedReads' });
  return client;
}
const s3 = () => retryDroppedReads(new S3Client({ ...clientConfig(), endpoint: em.target.endpoints.s3, forcePathStyle: true }));
const ec2 = () => retryDroppedReads(new EC2Client({ ...clientConfig(), endpoint: em.moto.endpoint }));
const iam = () => retryDroppedReads(new IAMClient({ ...clientConfig(), endpoint: em.moto.endpoint }));
const mwaa = () => retryDroppedReads(new MWAAClient({ ...clientConfig(), endpoint: `http://127.0.0.1:${em.mwaa.listenPort}`, disableHostPrefix: true }));

async function getJson(bucket: string, key: string): Promise<Record<string, unknown> | undefined> {
  // The SDK retries a failed request, not a body whose connection the emulator dropped while it was being read
  // (Node reports "aborted"; seen once under load): read again, a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return JSON.parse(await r.Body!.transformToString()) as Record<string, unknown>;
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
      if (!/aborted|ECONNRESET|socket hang up/i.test(String((e as Error).message))) throw e;
      if (attempt >= 6) throw new Error(`GetObject ${key}: ${(e as Error).message} (${attempt} attempts)`);
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}
const lockFile = () => getJson(STATE_BUCKET, `${STATE_KEY}.tflock`);

interface StateDoc {
  resources?: Array<{ mode: string; type: string; name: string; instances?: Array<{ attributes: Record<string, unknown> }> }>;
}
async function stateIds(): Promise<Map<string, string>> {
  const s = ((await getJson(STATE_BUCKET, STATE_KEY)) ?? {}) as StateDoc;
  const ids = new Map<string, string>();
  for (const r of s.resources ?? []) {
    if (r.mode !== 'managed') continue;
    for (const i of r.instances ?? []) ids.set(String(i.attributes.id), `${r.type}.${r.name}`);
  }
  return ids;
}

/** What moto (and the MWAA fake) hold: `kind id`, for the kinds the stack creates and a killed run could orphan. */
async function inventory(): Promise<Set<string>> {
  const c = ec2();
  const items: string[] = [];
  for (const v of (await c.send(new DescribeVpcsCommand({}))).Vpcs ?? []) items.push(`vpc ${v.VpcId}`);
  for (const s of (await c.send(new DescribeSubnetsCommand({}))).Subnets ?? []) items.push(`subnet ${s.SubnetId}`);
  for (const g of (await c.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []) items.push(`sg ${g.GroupId}`);
  for (const g of (await c.send(new DescribeInternetGatewaysCommand({}))).InternetGateways ?? []) items.push(`igw ${g.InternetGatewayId}`);
  for (const n of (await c.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? []) if (n.State !== 'deleted') items.push(`nat ${n.NatGatewayId}`);
  for (const a of (await c.send(new DescribeAddressesCommand({}))).Addresses ?? []) items.push(`eip ${a.AllocationId}`);
  for (const rt of (await c.send(new DescribeRouteTablesCommand({}))).RouteTables ?? []) {
    if (!(rt.Associations ?? []).some((a) => a.Main)) items.push(`rtb ${rt.RouteTableId}`);
  }
  for (const r of (await iam().send(new ListRolesCommand({}))).Roles ?? []) items.push(`role ${r.RoleName}`);
  for (const p of (await iam().send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies ?? []) items.push(`policy ${p.Arn}`);
  for (const name of em.mwaa.environments.keys()) items.push(`mwaa ${name}`);
  return new Set(items);
}

const createRequests = () => em.mwaa.requests.filter((r) => r.operation === 'CreateEnvironment' && r.status < 300).length;

const errorLines = (r: Run) => r.err.split('\n').filter((l) => !l.startsWith('[')).join('\n');

beforeAll(async () => {
  em = await startEmulators({ mwaa: { transitionDelayMs: 3000 } });
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-s3state-e2e-')));
  fs.mkdirSync(path.join(work, 'environments'));
  target = em.writeTarget(path.join(work, '.target.json'));
  const c = s3();
  for (const b of [STATE_BUCKET, 'tfstate-unversioned', DAGS_BUCKET]) await c.send(new CreateBucketCommand({ Bucket: b }));
  for (const b of [STATE_BUCKET, DAGS_BUCKET]) await c.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
  writeSpec(ENV, { stateBucket: STATE_BUCKET, maxWorkers: 2, octet: 91 });
}, 120000);

afterAll(async () => {
  await em?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the target keeps S3 state in the emulator: the backend block gets the emulator endpoint, only from the target', async () => {
  const r = await t('synth', ENV);
  expect(r.code).toBe(0);
  const tf = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', ENV, 'cdk.tf.json'), 'utf8')) as { terraform: { backend: { s3: Record<string, unknown> } } };
  expect(tf.terraform.backend.s3).toMatchObject({ bucket: STATE_BUCKET, key: STATE_KEY, use_lockfile: true, use_path_style: true, endpoints: { s3: em.target.endpoints.s3 } });
  const plain = await cli(['synth', ENV]);
  expect(plain.code).toBe(0);
  const tf2 = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', ENV, 'cdk.tf.json'), 'utf8')) as { terraform: { backend: { s3: Record<string, unknown> } } };
  expect(tf2.terraform.backend.s3).toEqual({ bucket: STATE_BUCKET, key: STATE_KEY, region: 'us-east-1', encrypt: true, use_lockfile: true });
});

test('SIGKILL during the first apply: the stale lock is named, unlock shows and clears it, the next apply converges with nothing orphaned or created twice', async () => {
  const before = await inventory();
  // Killed (tool and terraform: one process group) right after the MWAA create request went out: everything else is
  // created by then, and the environment's creation (20-30 minutes on AWS) is where a lost runner most likely lands.
  const killed = await cli(['apply', ENV, '--auto-approve', '--provider-args', target], async () => createRequests() >= 1);
  expect(killed.killed).toBe(true);
  const recorded = await stateIds();
  const created = [...(await inventory())].filter((x) => !before.has(x));
  const journal = await getJson(STATE_BUCKET, `${STATE_KEY}.mwaa-gitops-journal.json`);
  console.log(
    `[s3-state] killed after ${killed.ms} ms: ${created.length} resources in moto, ${recorded.size} recorded in the S3 state, ` +
      `${Object.keys((journal?.created as Record<string, string>) ?? {}).length} in the journal`,
  );

  // The S3 lock file outlives the killed process: the next apply stops on it, naming it and the way out.
  const lock = await lockFile();
  expect(lock).toMatchObject({ Operation: 'OperationTypeApply', Path: `${STATE_BUCKET}/${STATE_KEY}` });
  const blocked = await t('apply', ENV, '--auto-approve');
  expect(blocked.code).toBe(1);
  expect(blocked.out + blocked.err).not.toMatch(STACK);
  expect(blocked.err).toContain(`the S3 lock file ${LOCK_URI} exists`);
  expect(blocked.err).toContain(`mwaa-gitops unlock ${ENV}`);

  // unlock without a terminal and without --yes: shows the holder, refuses, removes nothing.
  const refused = await t('unlock', ENV);
  expect(refused.code).toBe(1);
  expect(refused.out).toContain(`lock file: ${LOCK_URI}`);
  expect(refused.out).toContain(`ID:        ${String(lock!.ID)}`);
  expect(refused.out).toContain(`Who:       ${String(lock!.Who)}`);
  expect(refused.out).toContain('Operation: OperationTypeApply');
  expect(refused.out).toMatch(/Created: +\S+ \((\d+[smhd] ?)+ ago\)/);
  expect(refused.err).toContain(`mwaa-gitops unlock ${ENV} --yes`);
  expect(await lockFile()).toEqual(lock);

  const unlocked = await t('unlock', ENV, '--yes');
  expect({ code: unlocked.code, err: unlocked.err }).toEqual({ code: 0, err: '' });
  expect(unlocked.out).toContain(`${ENV}: lock ${String(lock!.ID)} removed.`);
  expect(await lockFile()).toBeUndefined();
  const none = await t('unlock', ENV, '--yes');
  expect(none.code).toBe(0);
  expect(none.out).toContain('no state lock held');

  const converged = await t('apply', ENV, '--auto-approve');
  console.log(`[s3-state] apply after the kill: exit ${converged.code} in ${converged.ms} ms: ${converged.out.trim()}`);
  expect(converged.code).toBe(0);
  expect(errorLines(converged)).toMatch(new RegExp(`^note: ${ENV}: an earlier apply was interrupted after creating \\d+ resource\\(s\\) that Terraform had not yet recorded`));
  expect(errorLines(converged)).toContain('aws_mwaa_environment.environment');
  expect(converged.out).toMatch(/\d+ imported, /);
  expect(createRequests()).toBe(1);
  expect(em.mwaa.environments.get(ENV)?.Status).toBe('AVAILABLE');

  // moto before/after: everything created since is recorded in the state (no orphan), each exactly once.
  const ids = await stateIds();
  const now = [...(await inventory())].filter((x) => !before.has(x));
  const orphans = now.filter((x) => !ids.has(x.slice(x.indexOf(' ') + 1)));
  expect(orphans).toEqual([]);
  const kinds = (xs: string[]) => xs.map((x) => x.split(' ')[0]).sort().join(',');
  expect(kinds(now)).toBe('eip,eip,igw,mwaa,nat,nat,policy,role,rtb,rtb,rtb,sg,sg,subnet,subnet,subnet,subnet,vpc');
  expect(await lockFile()).toBeUndefined();
  expect(await getJson(STATE_BUCKET, `${STATE_KEY}.mwaa-gitops-journal.json`)).toBeUndefined();
});

test('empty re-plan; out-of-band changes are found by drift (exit 2) and reconciled by apply', async () => {
  const again = await t('plan', ENV, '--detailed-exitcode');
  expect({ code: again.code, out: again.out, err: again.err }).toEqual({ code: 0, out: `${ENV}: no changes\n`, err: '' });

  const env = (await mwaa().send(new GetEnvironmentCommand({ Name: ENV }))).Environment!;
  await mwaa().send(new UpdateEnvironmentCommand({ Name: ENV, MaxWorkers: (env.MaxWorkers ?? 2) + 3 }));
  const sgId = env.NetworkConfiguration!.SecurityGroupIds![0];
  const rules = await ec2().send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [sgId] }] }));
  const self = rules.SecurityGroupRules!.find((r) => !r.IsEgress && r.ReferencedGroupInfo?.GroupId === sgId)!;
  await ec2().send(new RevokeSecurityGroupIngressCommand({ GroupId: sgId, SecurityGroupRuleIds: [self.SecurityGroupRuleId!] }));
  for (let i = 0; i < 100 && em.mwaa.environments.get(ENV)?.Status !== 'AVAILABLE'; i++) await new Promise((r) => setTimeout(r, 100));

  const drift = await t('drift', ENV);
  expect(drift.code).toBe(2);
  expect(drift.out).toMatch(/~ aws_mwaa_environment\.environment \(changed outside Terraform\)\n(.*\n)*? +max_workers: 2 -> 5/);
  expect(drift.out).toMatch(/- aws_vpc_security_group_ingress_rule\.\S+ \(deleted outside Terraform\)/);

  const fixed = await t('apply', ENV, '--auto-approve');
  expect({ code: fixed.code, err: errorLines(fixed) }).toEqual({ code: 0, err: '' });
  expect(em.mwaa.environments.get(ENV)?.MaxWorkers).toBe(2);
  const clean = await t('drift', ENV);
  expect(clean.code).toBe(0);
  expect(clean.out).toMatch(new RegExp(`^${ENV}: no drift\n`));
});

test('two applies of one environment at once: exactly one runs, the other stops on the lock, naming it and unlock', async () => {
  writeSpec(ENV, { stateBucket: STATE_BUCKET, maxWorkers: 3, octet: 91 });
  const updates = () => em.mwaa.requests.filter((r) => r.operation === 'UpdateEnvironment' && r.status < 300).length;
  const updatesBefore = updates();
  // The second apply runs in another working copy of the repository, as on another CI runner: the tool's run lock
  // (one per working copy, src/terraform/run-lock.ts) does not reach it, and only Terraform's S3 lock stands between
  // the two. A plan there first runs its `terraform init`, so that the race below is between the two applies.
  const other = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-s3state-e2e-other-')));
  fs.cpSync(path.join(work, 'environments'), path.join(other, 'environments'), { recursive: true });
  const ready = await cli(['plan', ENV, '--provider-args', target], undefined, other);
  expect({ code: ready.code, err: ready.code === 0 ? '' : ready.err }).toEqual({ code: 0, err: '' });
  const first = cli(['apply', ENV, '--auto-approve', '--provider-args', target]);
  // The second starts while the first holds the lock for its apply (the MWAA update takes seconds on the fake).
  let held: Record<string, unknown> | undefined;
  for (let i = 0; i < 600 && !(held && held.Operation === 'OperationTypeApply'); i++) {
    held = await lockFile();
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(held?.Operation).toBe('OperationTypeApply');
  const second = await cli(['apply', ENV, '--auto-approve', '--provider-args', target], undefined, other);
  const a = await first;
  fs.rmSync(other, { recursive: true, force: true });
  console.log(`[s3-state] race: first exit ${a.code} in ${a.ms} ms; second exit ${second.code} in ${second.ms} ms`);
  expect({ code: a.code, err: errorLines(a) }).toEqual({ code: 0, err: '' });
  expect(second.code).toBe(1);
  expect(second.out + second.err).not.toMatch(STACK);
  expect(second.err).toMatch(new RegExp(`^${ENV}: `, 'm'));
  expect(second.err).toContain(`the S3 lock file ${LOCK_URI} exists`);
  expect(second.err).toContain(`clear the stale lock: mwaa-gitops unlock ${ENV}`);
  expect(updates() - updatesBefore).toBe(1);
  expect(em.mwaa.environments.get(ENV)?.MaxWorkers).toBe(3);
  expect(await lockFile()).toBeUndefined();
  const again = await t('plan', ENV, '--detailed-exitcode');
  expect({ code: again.code, out: again.out }).toEqual({ code: 0, out: `${ENV}: no changes\n` });
  // its state bucket is versioned: no versioning warning (the next test plans one that is not)
  expect(again.out + again.err).not.toContain('versioning');
});

test('state bucket versioning: a warning (stderr and plan output) without it (with it, none: the test above)', async () => {
  const other = `${ENV}-nover`;
  writeSpec(other, { stateBucket: 'tfstate-unversioned', maxWorkers: 2, octet: 92 });
  const r = await t('plan', other);
  expect(r.code).toBe(0);
  const warning = `${other}: the state bucket tfstate-unversioned has versioning off: a damaged or overwritten state cannot be rolled back`;
  expect(r.err).toContain(`warning: ${warning}`);
  expect(r.out).toMatch(new RegExp(`^${other}: \\d+ to add, 0 to change, 0 to destroy\\n  warning: ${warning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  expect(r.out).toContain('aws s3api put-bucket-versioning --bucket tfstate-unversioned --versioning-configuration Status=Enabled');
  const md = await t('plan', other, '--format', 'markdown');
  expect(md.out).toContain(`> [!WARNING]\n> ${warning}`);
});
