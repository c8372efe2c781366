/**
 * The AWS facts the rules and the stacks share (src/aws/*): partitions, endpoint services, derived names, tags, and
 * the rules built on them, with the details the table-driven rules.test.ts does not assert (messages, fix hints,
 * one source for the key-policy statement).
 */
import { checkDerivedNames } from '../../src/rules/naming/DerivedResourceNamesFit';
import { derivedNames, fitName, NAME_LIMITS, defaultBucketName } from '../../src/aws/names';
import { endpointServiceName, partitionOf, servicePrincipalIn, regionalServicePrincipalIn, regionEntries, serviceHostIn } from '../../src/aws/partition';
import { endpointServicesFor } from '../../src/aws/endpoints';
import { effectiveTags, toolTags } from '../../src/aws/tags';
import { keyPolicy } from '../../stacks/policies';
import type { EnvironmentSpec } from '../../src/spec/types';
import { byRule, lint, spec, toYaml } from './fixture';

describe('derived names (src/aws/names.ts)', () => {
  it('names that fit are unchanged; longer ones get a readable prefix + hash and fit exactly', () => {
    expect(derivedNames('analytics-dev').executionRole).toBe('analytics-dev-execution');
    for (const len of [55, 64, 80]) {
      const name = `env-${'x'.repeat(len - 4)}`;
      const role = derivedNames(name).executionRole;
      expect(role.length).toBeLessThanOrEqual(64);
      expect(role).toMatch(/^env-x+-[0-9a-f]{8}-execution$/);
      expect(derivedNames(name).executionRole).toBe(role); // deterministic
    }
    // two long names with the same first 45 characters get different role names
    const a = `${'p'.repeat(60)}a`;
    const b = `${'p'.repeat(60)}b`;
    expect(derivedNames(a).executionRole).not.toBe(derivedNames(b).executionRole);
    expect(fitName('abc', '-x', 10)).toBe('abc-x');
  });

  it('every derived name of an 80-character name fits its limit', () => {
    const names = derivedNames('N'.repeat(80)).all(['Admin', 'Op', 'User', 'Viewer', 'Public']);
    for (const n of names) expect({ name: n.value, ok: n.value.length <= NAME_LIMITS[n.kind].max }).toEqual({ name: n.value, ok: true });
    expect(names.find((n) => n.resource === 'logGroup')!.value).toBe(`airflow-${'N'.repeat(80)}-DAGProcessing`); // MWAA's name, never shortened
  });

  it('MWAA-NAME-002 errors, naming the limit, when a derived name breaks it (the guard behind the shortening)', () => {
    const names = derivedNames('analytics-dev').all();
    const tight = { ...NAME_LIMITS, iamRole: { ...NAME_LIMITS.iamRole, max: 10 } };
    const found = checkDerivedNames('analytics-dev', names, tight);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: 'name' });
    expect(found[0].severity).toBeUndefined(); // the rule's default: error
    expect(found[0].message).toContain('the IAM role name limit is 10');
  });

  it('MWAA-NAME-002 info names the shortened role, as the stack names it', () => {
    const name = 'a'.repeat(80);
    const f = byRule(lint(toYaml(spec({ name }))), 'MWAA-NAME-002');
    expect(f.map((x) => x.severity)).toEqual(['info']);
    expect(f[0].message).toContain(`"${derivedNames(name).executionRole}"`);
  });

  it('the default bucket name is cut (not hashed) to 63 characters, as before', () => {
    expect(defaultBucketName('Analytics_Dev', 'eu-west-1')).toBe('analytics-dev-airflow-eu-west-1');
    expect(defaultBucketName('a'.repeat(80), 'us-east-1')).toBe('a'.repeat(63));
  });
});

describe('partitions (src/aws/partition.ts)', () => {
  it('every accepted Region has a partition and an AZ ID prefix', () => {
    for (const r of regionEntries()) {
      expect(partitionOf(r.region).id).toBe(r.partition);
      expect(r.azIdPrefix).toMatch(/^[a-z]{2,}\d+$/);
    }
  });

  it('China: ARN partition aws-cn, DNS suffix amazonaws.com.cn, logs principal in the partition suffix, MWAA principals global', () => {
    const cn = partitionOf('cn-north-1');
    expect(cn.id).toBe('aws-cn');
    expect(serviceHostIn(cn, 'sqs', 'cn-north-1')).toBe('sqs.cn-north-1.amazonaws.com.cn');
    expect(regionalServicePrincipalIn(cn, 'logs', 'cn-north-1')).toBe('logs.cn-north-1.amazonaws.com.cn');
    expect(servicePrincipalIn(cn, 'airflow')).toBe('airflow.amazonaws.com');
    expect(servicePrincipalIn(cn, 'airflow-env')).toBe('airflow-env.amazonaws.com');
    expect(endpointServiceName('ecr.api', 'cn-north-1')).toEqual({ name: 'cn.com.amazonaws.cn-north-1.ecr.api', verified: true, reason: undefined });
    expect(endpointServiceName('airflow.api', 'cn-northwest-1').verified).toBe(false);
    expect(endpointServiceName('ecr.dkr', 'us-west-1')).toEqual({ name: 'com.amazonaws.us-west-1.ecr.dkr', verified: true, reason: undefined });
  });

  it('no Region outside data/regions.json is given a partition', () => {
    expect(() => partitionOf('us-gov-west-1')).toThrow(/not in data\/regions.json/);
  });
});

describe('endpoint services (src/aws/endpoints.ts)', () => {
  const net = (routing: 'public' | 'private', extraEndpoints: string[] = []) =>
    ({ mode: 'create', routing, vpcCidr: '', publicSubnets: [], privateSubnets: [], natGateways: 'perAz', webAccessCidrs: [], extraEndpoints }) as EnvironmentSpec['network'];
  it('private routing: the required ones, secretsmanager with a secrets backend, extras once', () => {
    const sb = { connectionsPrefix: 'a', variablesPrefix: 'b' };
    const s = endpointServicesFor({ network: net('private', ['sts', 'logs']), iam: { extraPolicyStatements: [], webAccess: {}, secretsBackend: sb } });
    expect(s.gateway).toEqual(['s3']);
    expect(s.interface).toEqual(['monitoring', 'ecr.dkr', 'ecr.api', 'logs', 'sqs', 'kms', 'airflow.api', 'airflow.env', 'airflow.ops', 'secretsmanager', 'sts']);
  });
  it('public routing: only the extras; existing network: none', () => {
    expect(endpointServicesFor({ network: net('public', ['glue']), iam: { extraPolicyStatements: [], webAccess: {} } })).toEqual({ gateway: [], interface: ['glue'] });
    expect(endpointServicesFor({ network: net('public'), iam: { extraPolicyStatements: [], webAccess: {} } })).toEqual({ gateway: [], interface: [] });
    const existing = { mode: 'existing', vpcId: 'vpc-1', subnetIds: [], securityGroupIds: [] } as EnvironmentSpec['network'];
    expect(endpointServicesFor({ network: existing, iam: { extraPolicyStatements: [], webAccess: {} } })).toEqual({ gateway: [], interface: [] });
  });
  it('MWAA-NET-009 suggests the closest known service', () => {
    const f = byRule(lint(toYaml(spec({ 'network.extraEndpoints': ['glu'] }))), 'MWAA-NET-009');
    expect(f[0].fix).toMatch(/^Did you mean glue\?/);
  });
  it('MWAA-NET-009 warns about an extra endpoint private routing creates anyway', () => {
    const s = spec({ 'airflow.webserverAccess': 'PRIVATE_ONLY', network: { mode: 'create', routing: 'private', vpcCidr: '10.192.0.0/16', privateSubnets: ['10.192.20.0/24', '10.192.21.0/24'], extraEndpoints: ['logs'] } });
    expect(byRule(lint(toYaml(s)), 'MWAA-NET-009').map((f) => f.severity)).toEqual(['warning']);
  });
  it('MWAA-NET-010 says why private routing is refused in China', () => {
    const s = spec({ region: 'cn-north-1', 'airflow.webserverAccess': 'PRIVATE_ONLY', 'iam.webAccess': {}, network: { mode: 'create', routing: 'private', vpcCidr: '10.192.0.0/16', privateSubnets: ['10.192.20.0/24', '10.192.21.0/24'] } });
    const [f] = byRule(lint(toYaml(s)), 'MWAA-NET-010');
    expect(f.message).toContain('airflow.api, airflow.env, airflow.ops');
    expect(f.message).toContain('could not be verified');
    expect(f.fix).toContain('routing: public');
  });
});

describe('tags (src/aws/tags.ts) and MWAA-TAG-001', () => {
  it('the tool tags count toward the 50', () => {
    expect(Object.keys(toolTags({ name: 'x' }))).toEqual(['mwaa-gitops:environment', 'managed-by']);
    expect(toolTags({ name: 'x', managedTags: false })).toEqual({});
    // a spec tag with the same key as a tool tag counts once
    expect(Object.keys(effectiveTags({ name: 'x', tags: { 'managed-by': 'mwaa-gitops', team: 't' } }))).toHaveLength(3);
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    // created network: its resources also carry Name (48 + 2 + 1 = 51)
    const [f] = byRule(lint(toYaml(spec({ tags: tags(48) }))), 'MWAA-TAG-001');
    expect(f.message).toContain('plus the stack\'s own mwaa-gitops:environment, managed-by, Name makes 51 on the network resources');
    expect(f.fix).toContain('at most 47 remain, or set managedTags: false');
    expect(byRule(lint(toYaml(spec({ tags: tags(48), managedTags: false }))), 'MWAA-TAG-001')).toEqual([]);
    // existing network: no Name tags, so 48 + 2 = 50 fit
    const existing = { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], securityGroupIds: ['sg-0123456789abcdef0'] };
    expect(byRule(lint(toYaml(spec({ tags: tags(48), network: existing }))), 'MWAA-TAG-001')).toEqual([]);
    expect(byRule(lint(toYaml(spec({ tags: tags(49), network: existing }))), 'MWAA-TAG-001')[0].message).toContain('makes 51 on every resource');
  });
});

describe('MWAA-KMS-002: the CloudWatch Logs statement of an existing key', () => {
  const keyArn = (region: string, partition = 'aws') => `arn:${partition}:kms:${region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  it('the fix hint is exactly the statement the created key policy has (one source)', () => {
    const [f] = byRule(lint(toYaml(spec({ encryption: { kms: 'existing', keyArn: keyArn('us-east-1') } }))), 'MWAA-KMS-002');
    const json = JSON.parse(f.fix!.slice(f.fix!.indexOf('{')));
    const created = keyPolicy({ name: 'n', region: 'us-east-1', partition: partitionOf('us-east-1'), account: '111122223333', executionRoleArn: 'r' }).Statement.find((s) => s.Sid === 'CloudWatchLogs');
    expect(json).toEqual(created);
    expect(json.Principal).toEqual({ Service: 'logs.us-east-1.amazonaws.com' });
    expect(json.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toBe('arn:aws:logs:us-east-1:111122223333:*');
  });
  it('China: the partition\'s logs principal and ARN', () => {
    const s = spec({ region: 'cn-north-1', 'iam.webAccess': {}, encryption: { kms: 'existing', keyArn: keyArn('cn-north-1', 'aws-cn') } });
    const [f] = byRule(lint(toYaml(s)), 'MWAA-KMS-002');
    expect(f.fix).toContain('"Service":"logs.cn-north-1.amazonaws.com.cn"');
    expect(f.fix).toContain('arn:aws-cn:logs:cn-north-1:111122223333:*');
  });
});

describe('MWAA-IAM-004: web-login roles of the deploying account', () => {
  it('a role of another account is an error with a fix; the account is named, never dropped', () => {
    const [f] = byRule(lint(toYaml(spec({ 'iam.webAccess': { Admin: ['arn:aws:iam::999988887777:role/admins'] } }))), 'MWAA-IAM-004');
    expect(f.message).toContain('account 999988887777');
    expect(f.message).toContain('deploys to account 111122223333');
    expect(f.fix).toContain('arn:aws:iam::111122223333:role/');
  });
  it('without account in the spec the check moves to plan time (no finding here)', () => {
    expect(byRule(lint(toYaml(spec({ account: undefined, 'iam.webAccess': { Admin: ['arn:aws:iam::999988887777:role/admins'] } }))), 'MWAA-IAM-004')).toEqual([]);
  });
});
