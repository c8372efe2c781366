/**
 * What real AWS refuses and the emulators accept (issue: "Correct on real AWS, not only on the emulators"), from YAML
 * through validate, synth and a create-only plan (plan-time lookups answered by moto, nothing else reachable):
 * - zones come from the account's available zones (or pinned AZ IDs), never from the Region string (ap-northeast-1,
 *   us-west-1: moto, like many real accounts, has no ap-northeast-1b);
 * - an 80-character name, 48 spec tags with artifacts, and a China Region each plan cleanly, or are refused by
 *   validate with a located error; never a plan-time surprise (48 tags: fine on an existing network, refused on a
 *   created one, whose resources also carry Name: 48 + 2 tool tags + Name = 51 > 50, found by this test);
 * - existing subnets in one zone (V-01) and a web-login role of another account fail the plan with a message naming
 *   the spec field.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { validateFiles } from '../../src/engine/validate';
import { synthesize } from '../../src/synth';
import type { EnvironmentSpec } from '../../src/spec/types';
import { tagLimit, NAME_LIMITS } from '../../src/aws/names';
import { startLookupEmulator, type LookupEmulator } from '../support/lookup-plan';
import { terraformPlanMany, type PlannedChange } from '../support/many-stacks';
import { tempRepo } from './fixtures';
import { GOOD_ZIP } from '../rules/artifact-cases';

let work: string;
let lookups: LookupEmulator;

beforeAll(async () => {
  work = tempRepo('mwaa-real-aws-');
  fs.mkdirSync(path.join(work, 'environments'));
  fs.mkdirSync(path.join(work, 'airflow'));
  fs.writeFileSync(path.join(work, 'airflow', 'requirements.txt'), '# the stack ships the file; its packages are not the subject here\n');
  fs.writeFileSync(path.join(work, 'airflow', 'plugins.zip'), GOOD_ZIP());
  fs.writeFileSync(path.join(work, 'airflow', 'startup.sh'), '#!/bin/sh\n');
  lookups = await startLookupEmulator();
}, 300000); // moto start-up on a loaded machine

afterAll(async () => {
  await lookups?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

type Doc = Record<string, unknown>;

function doc(name: string, region: string, extra: Doc = {}): Doc {
  return {
    apiVersion: 'mwaa-gitops/v1',
    name,
    region,
    account: '123456789012',
    airflow: { version: '2.10.3', webserverAccess: 'PUBLIC_ONLY' },
    bucket: { name: `${name.slice(0, 30).toLowerCase()}-${region}`.replace(/[^a-z0-9-]/g, '-') },
    ...extra,
  };
}

/** Writes the YAML, validates it with the real loader; returns the typed spec or the findings. */
function load(d: Doc): { spec?: EnvironmentSpec; errors: Array<{ ruleId: string; path?: string; line: number; message: string }>; text: string } {
  const file = path.join(work, 'environments', `${d.name as string}.yaml`);
  const text = stringify(d, { lineWidth: 0 });
  fs.writeFileSync(file, text);
  const env = validateFiles([file], { repoRoot: work }).environments[0];
  fs.rmSync(file);
  const errors = env.findings.filter((f) => f.severity === 'error').map((f) => ({ ruleId: f.ruleId, path: f.path, line: f.line, message: f.message }));
  return { spec: errors.length ? undefined : env.spec, errors, text };
}

function mustLoad(d: Doc): EnvironmentSpec {
  const r = load(d);
  expect({ name: d.name, errors: r.errors }).toEqual({ name: d.name, errors: [] });
  return r.spec!;
}

function plan(specs: EnvironmentSpec[], root: string): ReturnType<typeof terraformPlanMany> {
  const results = synthesize(specs, { repoRoot: work, outDir: path.join(work, `${root}-out`), providerOverrides: lookups.target });
  return terraformPlanMany(path.join(work, root), Object.fromEntries(results.map((r) => [r.env, r.dir])), lookups.env);
}

const zoneOf = (changes: PlannedChange[], id: string) => changes.find((c) => c.address === `aws_subnet.${id}`)!.after;

/** Every string in a value (deep). */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
  return out;
}

const LONG = `analytics-${'x'.repeat(70)}`; // 80 characters, MWAA's maximum
const TAGS48 = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`cost-center-${i}`, `v${i}`]));
const TAGS47 = Object.fromEntries(Object.entries(TAGS48).slice(0, 47));
const ARTIFACTS = { requirements: { source: 'airflow/requirements.txt' }, plugins: { source: 'airflow/plugins.zip' }, startupScript: { source: 'airflow/startup.sh' } };

describe('plans that real AWS would accept', () => {
  // One plan of three stacks (each plan costs a provider start per stack: keep them few).
  let changes: Record<string, PlannedChange[]>;
  let beijingJson: string;
  beforeAll(async () => {
    const net = await lookups.network('us-east-1', ['us-east-1a', 'us-east-1b']);
    // 80 characters, 48 tags, artifacts, a created key, on an existing network (whose resources carry no Name tag);
    // no account in the spec: the caller's account (moto's) is looked up and the web-login role compared with it.
    const long = doc(LONG, 'us-east-1', {
      tags: TAGS48,
      bucket: { name: 'long-name-bucket-123', ...ARTIFACTS },
      airflow: { version: '2.10.3', webserverAccess: 'PRIVATE_ONLY', configuration: { 'core.lazy_load_plugins': 'False' } },
      network: { mode: 'existing', vpcId: net.vpcId, subnetIds: net.subnetIds, securityGroupIds: [net.securityGroupId] },
      encryption: { kms: 'create' },
      iam: { webAccess: { Admin: ['arn:aws:iam::123456789012:role/admins'] } },
    });
    delete long.account;
    const specs = [
      // ap-northeast-1, zones looked up; 47 tags on a created network: 47 + 2 + Name = 50 on its resources
      mustLoad(doc('tokyo', 'ap-northeast-1', { tags: TAGS47, bucket: { name: 'tokyo-bucket-123', ...ARTIFACTS }, airflow: { version: '2.10.3', webserverAccess: 'PUBLIC_ONLY', configuration: { 'core.lazy_load_plugins': 'False' } } })),
      mustLoad(doc('beijing', 'cn-north-1', { network: { mode: 'create', extraEndpoints: ['sts', 'ecr.api'] }, encryption: { kms: 'create' }, iam: { webAccess: { Admin: ['arn:aws-cn:iam::123456789012:role/admins'] } } })),
      mustLoad(long),
    ];
    const results = synthesize(specs, { repoRoot: work, outDir: path.join(work, 'ok-out'), providerOverrides: lookups.target });
    beijingJson = fs.readFileSync(results.find((r) => r.env === 'beijing')!.file, 'utf8');
    const p = await terraformPlanMany(path.join(work, 'ok'), Object.fromEntries(results.map((r) => [r.env, r.dir])), lookups.env);
    expect(p.output).not.toMatch(/Error:/);
    expect(p.ok).toBe(true);
    changes = p.changes;
  }, 600000);

  it('ap-northeast-1: the subnets are in the account\'s available zones (from the lookup), none built from the Region', () => {
    // moto's ap-northeast-1 has a, c and d (no 1b, as for most real accounts): the pairs take a and c.
    expect(['private_0', 'private_1', 'public_0', 'public_1'].map((id) => zoneOf(changes.tokyo, id).availability_zone)).toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1a', 'ap-northeast-1c']);
  });

  it('us-west-1 and pinned AZ IDs (synthesized): the lookup, or availability_zone_id; no zone name from the Region', () => {
    const [west, pinned] = synthesize(
      [mustLoad(doc('california', 'us-west-1')), mustLoad(doc('california-pinned', 'us-west-1', { network: { mode: 'create', availabilityZoneIds: ['usw1-az3', 'usw1-az1'] } }))],
      { repoRoot: work, outDir: path.join(work, 'west-out') },
    ).map((r) => JSON.parse(fs.readFileSync(r.file, 'utf8')));
    expect(west.resource.aws_subnet.private_1.availability_zone).toBe('${element(data.aws_availability_zones.zones.names, 1)}');
    expect(JSON.stringify(west)).not.toMatch(/us-west-1[a-z]"/);
    expect(pinned.resource.aws_subnet.private_0.availability_zone_id).toBe('usw1-az3');
    expect(pinned.data?.aws_availability_zones).toBeUndefined();
  });

  it('a China Region (public routing): every ARN in aws-cn, endpoint names from the partition table, logs principal in amazonaws.com.cn', () => {
    const all = strings(changes.beijing.map((c) => c.after)).join('\n');
    expect(all).toContain('arn:aws-cn:');
    expect(all).not.toMatch(/arn:aws:/);
    const eps = changes.beijing.filter((c) => c.type === 'aws_vpc_endpoint').map((c) => c.after.service_name).sort();
    expect(eps).toEqual(['cn.com.amazonaws.cn-north-1.ecr.api', 'cn.com.amazonaws.cn-north-1.sts']);
    // the policies hold resource ARNs known only after apply: read them in the synthesized stack
    expect(beijingJson).not.toMatch(/arn:aws:/);
    expect(beijingJson).toContain('logs.cn-north-1.amazonaws.com.cn');
    expect(beijingJson).toContain('sqs.cn-north-1.amazonaws.com.cn');
    expect(beijingJson).toContain('airflow-env.amazonaws.com');
  });

  it('an 80-character name and 48 tags with artifacts (and 47 tags on a created network): every name and tag count within AWS\'s limits', () => {
    const long = changes[LONG];
    expect(long.length).toBeGreaterThan(15);
    for (const c of [...long, ...changes.tokyo]) {
      const count = Object.keys(c.after?.tags_all ?? {}).length;
      expect({ address: c.address, tooManyTags: count > tagLimit(c.type) }).toEqual({ address: c.address, tooManyTags: false });
      for (const limit of Object.values(NAME_LIMITS)) {
        if (limit.resource !== c.type) continue;
        const value = String(c.after[limit.attribute]);
        expect({ address: c.address, value, fits: value.length <= limit.max }).toEqual({ address: c.address, value, fits: true });
      }
    }
    const role = long.find((c) => c.address === 'aws_iam_role.execution')!;
    expect(role.after.name).toMatch(/^analytics-x+-[0-9a-f]{8}-execution$/);
    expect(Object.keys(long.find((c) => c.address === 'aws_mwaa_environment.environment')!.after.tags_all)).toHaveLength(50);
    expect(Object.keys(changes.tokyo.find((c) => c.address === 'aws_vpc.vpc')!.after.tags_all)).toHaveLength(50);
    for (const o of [...long, ...changes.tokyo].filter((c) => c.type === 'aws_s3_object')) expect(o.after.tags_all ?? {}).toEqual({});
  });
});

describe('refused by validate, with a located error', () => {
  it('48 spec tags on a created network (51 on its resources with the tool\'s tags and Name)', () => {
    const r = load(doc('tags48', 'us-east-1', { tags: TAGS48, bucket: { name: 'tags48-bucket-123', ...ARTIFACTS } }));
    const f = r.errors.find((e) => e.ruleId === 'MWAA-TAG-001')!;
    expect(f.message).toContain('makes 51 on the network resources');
    expect(r.text.split('\n')[f.line - 1]).toMatch(/^tags:/);
  });

  it('private routing in a China Region (unverified endpoint service names)', () => {
    const r = load(doc('beijing-private', 'cn-north-1', { airflow: { version: '2.10.3', webserverAccess: 'PRIVATE_ONLY' }, network: { mode: 'create', routing: 'private' } }));
    const f = r.errors.find((e) => e.ruleId === 'MWAA-NET-010')!;
    expect(r.text.split('\n')[f.line - 1]).toMatch(/routing: private/);
  });

  it('a web-login role of another account (with account in the spec)', () => {
    const r = load(doc('cross', 'us-east-1', { iam: { webAccess: { Admin: ['arn:aws:iam::999988887777:role/admins'] } } }));
    const f = r.errors.find((e) => e.ruleId === 'MWAA-IAM-004')!;
    expect(r.text.split('\n')[f.line - 1]).toContain('999988887777');
  });
});

describe('refused at plan time, naming the spec field (what only AWS knows)', () => {
  // One stack, both failures (Terraform reports every failed condition). The passing counterparts: the 80-character
  // stack above (no account, the caller's own role, subnets in two zones) and the shared-network example.
  it('existing subnets in one Availability Zone (V-01); without account in the spec, a web-login role of another account', async () => {
    const same = await lookups.network('eu-west-1', ['eu-west-1a', 'eu-west-1a']);
    const d = doc('same-zone', 'eu-west-1', {
      airflow: { version: '2.10.3', webserverAccess: 'PRIVATE_ONLY' },
      network: { mode: 'existing', vpcId: same.vpcId, subnetIds: same.subnetIds, securityGroupIds: [same.securityGroupId] },
      iam: { webAccess: { Admin: ['arn:aws:iam::999988887777:role/admins'] } },
    });
    delete d.account;
    const bad = await plan([mustLoad(d)], 'bad');
    expect(bad.ok).toBe(false);
    const out = bad.output.replace(/\s+/g, ' ');
    expect(out).toContain(`network.subnetIds: subnets ${same.subnetIds[0]} and ${same.subnetIds[1]} are both in Availability Zone eu-west-1a`);
    expect(out).toContain('iam.webAccess.Admin.0: arn:aws:iam::999988887777:role/admins is a role of account 999988887777, but this stack deploys to account 123456789012');
  }, 600000);
});
