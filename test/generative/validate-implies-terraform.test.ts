/**
 * "What `validate` accepts, Terraform (and AWS's documented limits) accept": seeded random valid specs across every
 * field and its limits — every accepted Region and partition, classes and their counts, both access modes and
 * endpoint managements, routing modes, created/existing networks, pinned zones or not, extra endpoints, KMS modes,
 * bucket/state variants, maximum-length names, maximum tag counts, artifacts present or absent — each validated
 * (it must be valid, else the generator is wrong), synthesized, and checked:
 *  1. statically, against data/aws-limits.json (names, tags per resource including the provider's default tags);
 *  2. by `terraform validate` (all cases as child modules of one root: one provider schema load);
 *  3. a sample by a create-only plan (lookups answered by moto), whose planned names and tags are checked again.
 * Any failure prints the seed and the spec. Fast-check (property-based testing) generates and, for the in-process
 * stages, shrinks.
 *
 * Runs: MWAA_GITOPS_GENERATIVE_RUNS (default 10) specs, MWAA_GITOPS_GENERATIVE_PLANS (default 1) of them planned;
 * MWAA_GITOPS_GENERATIVE_SEED replays a run. .ci/run sets more.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { validateText } from '../../src/engine/validate';
import { synthesize } from '../../src/synth';
import type { EnvironmentSpec } from '../../src/spec/types';
import { regionEntries, partitionOf, endpointServiceName } from '../../src/aws/partition';
import { knownOptionalServices, requiredInterfaceServices } from '../../src/aws/endpoints';
import { NAME_LIMITS, tagLimit } from '../../src/aws/names';
import { mostTagsOnOneResource } from '../../src/aws/tags';
import { airflowVersion, environmentClass, supportedVersions } from '../../src/rules/data';
import { terraformPlanMany, terraformValidateMany } from '../support/many-stacks';
import { startLookupEmulator, type LookupEmulator } from '../support/lookup-plan';
import { tempRepo } from '../stacks/fixtures';
import { GOOD_ZIP } from '../rules/artifact-cases';

const RUNS = Number(process.env.MWAA_GITOPS_GENERATIVE_RUNS ?? 10);
const PLANS = Number(process.env.MWAA_GITOPS_GENERATIVE_PLANS ?? 1);
const SEED = process.env.MWAA_GITOPS_GENERATIVE_SEED !== undefined ? Number(process.env.MWAA_GITOPS_GENERATIVE_SEED) : Date.now() % 2 ** 31;
/** The account the emulator answers for STS: web-login roles of specs without `account` use it (checked at plan time). */
const CALLER_ACCOUNT = '123456789012';

const REGIONS = regionEntries();
const CLASSES = ['mw1.micro', 'mw1.small', 'mw1.medium', 'mw1.large', 'mw1.xlarge', 'mw1.2xlarge'] as const;
const VERSIONS = supportedVersions().filter((v) => airflowVersion(v)?.status === 'supported');
const RETENTION = [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const LEVELS = ['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG'];
const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'.split('');
const TAG_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.:/=+-@'.split('');
const HEX = '0123456789abcdef'.split('');

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...HEX), minLength: n, maxLength: n });
/** An integer in [min, max], the bounds often. */
const bounded = (min: number, max: number) => fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

/** Environment name: 1-80 characters, letter first (80, MWAA's maximum, often). */
const envName = bounded(1, 80).chain((len) =>
  fc.tuple(fc.constantFrom(...NAME_CHARS.slice(0, 52)), fc.string({ unit: fc.constantFrom(...NAME_CHARS), minLength: len - 1, maxLength: len - 1 })).map(([a, b]) => a + b),
);

const account = fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 12, maxLength: 12 });

function tagsArb(max: number): fc.Arbitrary<Record<string, string>> {
  return bounded(0, max).chain((n) =>
    fc
      .tuple(
        fc.array(fc.string({ unit: fc.constantFrom(...TAG_CHARS), minLength: 0, maxLength: 6 }), { minLength: n, maxLength: n }),
        fc.array(fc.oneof(fc.string({ unit: fc.constantFrom(...TAG_CHARS), maxLength: 12 }), fc.constant('v'.repeat(256))), { minLength: n, maxLength: n }),
      )
      // keys k<i>-<random>: distinct, never a tool tag, never Name, never aws:
      .map(([suffixes, values]) => Object.fromEntries(suffixes.map((s, i) => [`k${i}-${s}`.slice(0, 128), values[i]]))),
  );
}

const bucketName = fc
  .tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split('')), minLength: 2, maxLength: 61 }))
  .map(([a, b]) => `${a}${b}`.replace(/-+$/, '') + 'z')
  .filter((n) => n.length >= 3 && n.length <= 63 && !/^xn--/.test(n) && !n.endsWith('-s3alias') && !/--ol-s3$/.test(n));

interface Generated {
  doc: Record<string, unknown>;
  artifacts: string[];
}

/** A spec document (before defaults) that validate must accept. */
const specArb: fc.Arbitrary<Generated> = fc
  .record({
    region: fc.constantFrom(...REGIONS),
    name: envName,
    account: maybe(account),
    managedTags: maybe(fc.boolean()),
    cls: fc.constantFrom(...CLASSES),
    version: fc.constantFrom(...VERSIONS),
    access: fc.constantFrom('PUBLIC_ONLY', 'PRIVATE_ONLY'),
    endpointManagement: fc.constantFrom('SERVICE', 'CUSTOMER'),
    window: maybe(fc.tuple(fc.constantFrom('MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'), fc.integer({ min: 0, max: 23 }), fc.constantFrom('00', '30'))),
    logging: fc.record({ level: fc.constantFrom(...LEVELS), enabled: fc.boolean(), retention: fc.constantFrom(...RETENTION) }),
    networkMode: fc.constantFrom('create', 'create', 'existing'),
    routing: fc.constantFrom('public', 'private'),
    natGateways: fc.constantFrom('perAz', 'single'),
    vpcOctet: fc.integer({ min: 0, max: 255 }),
    pinZones: fc.boolean(),
    zoneNumbers: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 2 }),
    extraEndpoints: fc.subarray([...knownOptionalServices()], { maxLength: 5 }),
    webCidrs: fc.subarray(['10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12']),
    ids: fc.tuple(hex(17), hex(17), hex(17), hex(17)),
    bucket: fc.oneof(fc.constant({ kind: 'derived' as const }), bucketName.map((n) => ({ kind: 'named' as const, n })), bucketName.map((n) => ({ kind: 'existing' as const, n }))),
    dagsPath: fc.constantFrom('dags', 'airflow/dags', 'd'),
    artifacts: fc.subarray(['requirements', 'plugins', 'startupScript'] as const),
    noncurrentDays: bounded(1, 3650),
    kept: maybe(bounded(1, 100)),
    kms: fc.constantFrom('aws-owned', 'create', 'existing'),
    keyId: fc.uuid({ version: 4 }),
    statements: fc.array(fc.record({ action: fc.constantFrom('s3:GetObject', 'glue:GetJob', 'athena:StartQueryExecution'), resource: fc.constantFrom('arn:aws:s3:::data/*', '*') }), { maxLength: 2 }),
    secrets: fc.boolean(),
    boundary: fc.boolean(),
    executionRole: fc.boolean(),
    webAccess: fc.dictionary(fc.constantFrom('Admin', 'Op', 'User', 'Viewer', 'Public'), fc.array(fc.constantFrom('admins', 'path/ops', 'readers'), { minLength: 1, maxLength: 2 }), { maxKeys: 3 }),
    preventDestroy: fc.boolean(),
    state: fc.constantFrom('local', 's3'),
    stateRegion: fc.constantFrom(...REGIONS),
  })
  .chain((g) => {
    const partition = partitionOf(g.region.region).id;
    const create = g.networkMode === 'create';
    // private routing only where every endpoint service name is verified (rule MWAA-NET-010: not China)
    const privateOk = requiredInterfaceServices().every((s) => endpointServiceName(s, g.region.region).verified);
    const routing = create && g.routing === 'private' && privateOk ? 'private' : 'public';
    const access = routing === 'private' ? 'PRIVATE_ONLY' : g.access;
    // As many tags as validate accepts (its own count of the stack's tags): the checks below are independent of it.
    const stackTags = mostTagsOnOneResource({ name: g.name, managedTags: g.managedTags, tags: {}, network: { mode: g.networkMode } as EnvironmentSpec['network'] }).count;
    return tagsArb(tagLimit() - stackTags).map((tags) => ({ g, partition, create, routing, access, tags }));
  })
  .map(({ g, partition, create, routing, access, tags }) => {
    const region = g.region.region;
    const cls = environmentClass(g.cls)!;
    const micro = g.cls === 'mw1.micro';
    const acct = g.account ?? CALLER_ACCOUNT;
    const ids = g.ids;
    const extras = g.extraEndpoints.filter((s) => endpointServiceName(s, region).verified && !(routing === 'private' && (requiredInterfaceServices().includes(s) || (s === 'secretsmanager' && g.secrets))));
    const network: Record<string, unknown> = create
      ? {
          mode: 'create',
          routing,
          vpcCidr: `10.${g.vpcOctet}.0.0/16`,
          ...(routing === 'public' ? { publicSubnets: [`10.${g.vpcOctet}.10.0/24`, `10.${g.vpcOctet}.11.0/24`], natGateways: g.natGateways } : {}),
          privateSubnets: [`10.${g.vpcOctet}.20.0/24`, `10.${g.vpcOctet}.21.0/24`],
          webAccessCidrs: access === 'PRIVATE_ONLY' ? g.webCidrs : [],
          ...(g.pinZones ? { availabilityZoneIds: g.zoneNumbers.map((n) => `${g.region.azIdPrefix}-az${n}`) } : {}),
          extraEndpoints: extras,
        }
      : { mode: 'existing', vpcId: `vpc-${ids[0]}`, subnetIds: [`subnet-${ids[1]}`, `subnet-${ids[2]}`], securityGroupIds: [`sg-${ids[3]}`] };
    const artifacts = g.artifacts.map(String);
    const bucket: Record<string, unknown> = { dagsPath: g.dagsPath, noncurrentVersionExpirationDays: g.noncurrentDays };
    if (g.bucket.kind === 'named') bucket.name = g.bucket.n;
    if (g.bucket.kind === 'existing') bucket.existingArn = `arn:${partition}:s3:::${g.bucket.n}`;
    if (g.kept !== undefined && g.bucket.kind !== 'existing') bucket.noncurrentVersionsKept = g.kept;
    const files: Record<string, string> = { requirements: 'airflow/requirements.txt', plugins: 'airflow/plugins.zip', startupScript: 'airflow/startup.sh' };
    for (const a of artifacts) bucket[a] = { source: files[a] };
    const configuration: Record<string, string> = {};
    if (artifacts.includes('plugins')) configuration['core.lazy_load_plugins'] = 'False';
    const iam: Record<string, unknown> = {
      extraPolicyStatements: g.statements.map((s, i) => ({ Sid: `Extra${i}`, Effect: 'Allow', Action: [s.action], Resource: [s.resource === '*' ? '*' : s.resource.replace('arn:aws:', `arn:${partition}:`)] })),
      webAccess: Object.fromEntries(Object.entries(g.webAccess).map(([role, names]) => [role, [...new Set(names)].map((n) => `arn:${partition}:iam::${acct}:role/${n}`)])),
    };
    if (g.secrets) iam.secretsBackend = { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' };
    if (g.boundary) iam.permissionsBoundaryArn = `arn:${partition}:iam::${acct}:policy/boundary`;
    if (g.executionRole) iam.executionRoleArn = `arn:${partition}:iam::${acct}:role/service-role/existing-mwaa-role`;
    const doc: Record<string, unknown> = {
      apiVersion: 'mwaa-gitops/v1',
      name: g.name,
      region,
      ...(g.account !== undefined ? { account: g.account } : {}),
      tags,
      ...(g.managedTags !== undefined ? { managedTags: g.managedTags } : {}),
      airflow: {
        version: g.version,
        environmentClass: g.cls,
        schedulers: micro ? 1 : cls.schedulers.max,
        workers: micro ? { min: 1, max: 1 } : { min: cls.workers.min, max: cls.workers.quota },
        webservers: micro ? { min: 1, max: 1 } : { min: cls.webservers.min, max: cls.webservers.max },
        webserverAccess: access,
        endpointManagement: g.endpointManagement,
        ...(g.window ? { maintenanceWindow: `${g.window[0]}:${String(g.window[1]).padStart(2, '0')}:${g.window[2]}` } : {}),
        configuration,
        logging: {
          dagProcessing: { level: g.logging.level, enabled: g.logging.enabled },
          scheduler: { level: g.logging.level },
          task: { level: g.logging.level, enabled: true },
          worker: { level: 'WARNING', enabled: g.logging.enabled },
          webserver: { level: 'ERROR' },
          retentionDays: g.logging.retention,
        },
      },
      network,
      bucket,
      encryption: g.kms === 'existing' ? { kms: 'existing', keyArn: `arn:${partition}:kms:${region}:${acct}:key/${g.keyId}` } : { kms: g.kms },
      iam,
      protection: { preventDestroy: g.preventDestroy },
      state: g.state === 'local' ? { backend: 'local' } : { backend: 's3', bucket: 'acme-terraform-state', key: `mwaa/${g.name}.tfstate`, region: g.stateRegion.region },
    };
    return { doc, artifacts };
  });

/** Names and tag counts in a synthesized stack against data/aws-limits.json; returns the problems. */
function limitProblems(tf: any): string[] {
  const out: string[] = [];
  const defaultTags: Record<string, string> = tf.provider?.aws?.[0]?.default_tags?.[0]?.tags ?? {};
  for (const [type, byName] of Object.entries<Record<string, any>>(tf.resource ?? {})) {
    for (const [id, r] of Object.entries(byName)) {
      const ignoresDefaults = r.override_provider?.default_tags?.tags && Object.keys(r.override_provider.default_tags.tags).length === 0;
      const tags = { ...(ignoresDefaults ? {} : defaultTags), ...(r.tags ?? {}) };
      const n = Object.keys(tags).length;
      if (n > tagLimit(type)) out.push(`${type}.${id}: ${n} tags (limit ${tagLimit(type)})`);
      for (const limit of Object.values(NAME_LIMITS)) {
        const v = r[limit.attribute];
        if (limit.resource === type && typeof v === 'string' && !v.includes('${') && v.length > limit.max) out.push(`${type}.${id}.${limit.attribute}: ${v.length} characters (limit ${limit.max})`);
      }
    }
  }
  return out;
}

interface Case {
  index: number;
  name: string;
  spec: EnvironmentSpec;
  dir: string;
  yamlFile: string;
}

describe(`generated valid specs pass terraform (seed ${SEED}, ${RUNS} specs, ${PLANS} planned)`, () => {
  let work: string;
  const cases: Case[] = [];
  const replay = `replay: MWAA_GITOPS_GENERATIVE_SEED=${SEED} MWAA_GITOPS_GENERATIVE_RUNS=${RUNS} npx jest test/generative`;

  beforeAll(() => {
    work = tempRepo('mwaa-generative-');
    fs.mkdirSync(path.join(work, 'airflow'), { recursive: true });
    fs.writeFileSync(path.join(work, 'airflow', 'requirements.txt'), '# the stack ships the file; its packages are not the subject here\n');
    fs.writeFileSync(path.join(work, 'airflow', 'plugins.zip'), GOOD_ZIP());
    fs.writeFileSync(path.join(work, 'airflow', 'startup.sh'), '#!/bin/sh\n');
  });
  afterAll(() => {
    if (work && !process.env.MWAA_GITOPS_GENERATIVE_KEEP) fs.rmSync(work, { recursive: true, force: true });
  });

  // The cases are generated once, by whichever test runs first (jest --randomize shuffles tests within this file).
  let generated = false;
  function generate(): void {
    if (generated) return;
    generated = true;
    let index = 0;
    fc.assert(
      fc.property(specArb, ({ doc }) => {
        const yaml = stringify(doc, { lineWidth: 0 });
        const file = path.join(work, 'environments', `case-${index}.yaml`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, yaml);
        const r = validateText(yaml, { file, repoRoot: work });
        const errors = r.findings.filter((f) => f.severity === 'error');
        if (errors.length || !r.spec) throw new Error(`the generator made a spec validate refuses (fix the generator):\n${errors.map((e) => `  ${e.ruleId} ${e.path}: ${e.message}`).join('\n')}\n${yaml}`);
        const [res] = synthesize([r.spec], { repoRoot: work, outDir: path.join(work, `c${index}`) });
        const problems = limitProblems(JSON.parse(fs.readFileSync(res.file, 'utf8')));
        if (problems.length) throw new Error(`validate accepts a spec whose stack breaks AWS limits:\n  ${problems.join('\n  ')}\n${yaml}`);
        cases.push({ index, name: r.spec.name, spec: r.spec, dir: res.dir, yamlFile: file });
        index++;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: false },
    );
  }

  it('every generated spec validates, synthesizes, and stays within AWS\'s documented name and tag limits', () => {
    generate();
    expect(cases.length).toBe(RUNS);
  });

  it('terraform validate accepts every synthesized stack', async () => {
    generate();
    expect(cases.length).toBe(RUNS);
    const v = await terraformValidateMany(path.join(work, 'validate-root'), Object.fromEntries(cases.map((c) => [`case-${c.index}`, c.dir])));
    const errors = v.diagnostics.filter((d) => d.severity === 'error');
    const detail = errors.map((e) => `${e.stack}: ${e.summary}${e.detail ? ` - ${e.detail}` : ''}\n${fs.readFileSync(path.join(work, 'environments', `${e.stack}.yaml`), 'utf8')}`).join('\n');
    if (errors.length) throw new Error(`terraform validate refuses specs validate accepted (${replay}):\n${detail}`);
    expect(v.valid).toBe(true);
  }, 600000);

  it('a sample plans (create-only; zones, subnets and the caller answered by moto) within the limits', async () => {
    generate();
    const sample = cases.slice(0, Math.min(PLANS, cases.length));
    let lookups: LookupEmulator | undefined;
    try {
      lookups = await startLookupEmulator();
      const specs: EnvironmentSpec[] = [];
      for (const c of sample) {
        let s: EnvironmentSpec = { ...c.spec, state: { backend: 'local' } };
        if (s.network.mode === 'existing') {
          // existing networks are looked up at plan time: give the spec subnets that exist, in two zones
          const az = await lookups.zones(s.region);
          const net = await lookups.network(s.region, [az[0], az[1]]);
          s = { ...s, network: { ...s.network, vpcId: net.vpcId, subnetIds: net.subnetIds, securityGroupIds: [net.securityGroupId] } };
        }
        specs.push(s);
      }
      const results = synthesize(specs, { repoRoot: work, outDir: path.join(work, 'plan-out'), providerOverrides: lookups.target });
      const plan = await terraformPlanMany(path.join(work, 'plan-root'), Object.fromEntries(results.map((r, i) => [`case-${sample[i].index}`, r.dir])), lookups.env);
      if (!plan.ok) {
        throw new Error(`terraform plan refuses specs validate accepted (${replay}; modules ${JSON.stringify(plan.moduleNames)}):\n${plan.output.slice(0, 6000)}\n${sample.map((c) => fs.readFileSync(c.yamlFile, 'utf8')).join('\n---\n')}`);
      }
      for (const c of sample) {
        const changes = plan.changes[`case-${c.index}`];
        expect(changes.length).toBeGreaterThan(0);
        for (const ch of changes) {
          expect({ address: ch.address, actions: ch.actions }).toEqual({ address: ch.address, actions: ['create'] });
          const n = Object.keys(ch.after?.tags_all ?? {}).length;
          expect({ address: ch.address, tags: n <= tagLimit(ch.type) }).toEqual({ address: ch.address, tags: true });
        }
      }
    } finally {
      await lookups?.stop();
    }
  }, 600000);
});
