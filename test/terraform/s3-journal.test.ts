/**
 * Kill safety for S3 state (src/terraform/s3-journal.ts): what the next plan adopts from the journal of an
 * interrupted apply. Journaled creations the state lacks are imported with the right import id (composite ones built
 * from the configuration); recorded ones, and ones no longer configured, are left alone; the MWAA environment in
 * flight is adopted by name only when it exists. Plus the state-bucket versioning check's silence on access denied.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { adoptionOf, compositeInFlight, mwaaInFlight, type S3ApplyJournal } from '../../src/terraform/s3-journal';
import { compositeExists } from '../../src/terraform/workflow';
import { bucketVersioning } from '../../src/terraform/state-s3';

const TF = {
  resource: {
    aws_vpc: { vpc: { cidr_block: '10.0.0.0/16' } },
    aws_subnet: { public_0: { vpc_id: '${aws_vpc.vpc.id}' } },
    aws_route_table: { public_rt: { vpc_id: '${aws_vpc.vpc.id}' } },
    aws_route: { public_default: { route_table_id: '${aws_route_table.public_rt.id}', destination_cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.igw.id}' } },
    aws_route_table_association: { public_0_rta: { subnet_id: '${aws_subnet.public_0.id}', route_table_id: '${aws_route_table.public_rt.id}' } },
    aws_iam_role: { execution: { name: 'dev-execution' } },
    aws_iam_policy: { execution_policy: { name: 'dev-execution' } },
    aws_iam_role_policy_attachment: { execution_policy_attachment: { role: '${aws_iam_role.execution.name}', policy_arn: '${aws_iam_policy.execution_policy.arn}' } },
    aws_s3_object: { dags_folder: { bucket: 'dev-dags', key: 'dags/' } },
    aws_mwaa_environment: { environment: { name: 'dev' } },
  },
};

const journal = (created: Record<string, string>, begun: string[] = Object.keys(created)): S3ApplyJournal => ({ started: '2026-11-30T00:00:00Z', created, begun });

test('journaled creations missing from the state are imported; composite import ids are built from the configuration', () => {
  const j = journal({
    'aws_vpc.vpc': 'vpc-1',
    'aws_subnet.public_0': 'subnet-1',
    'aws_route_table.public_rt': 'rtb-1',
    'aws_route.public_default': 'r-rtb-11080289494',
    'aws_route_table_association.public_0_rta': 'rtbassoc-1',
    'aws_iam_role.execution': 'dev-execution',
    'aws_iam_policy.execution_policy': 'arn:aws:iam::123456789012:policy/dev-execution',
    'aws_iam_role_policy_attachment.execution_policy_attachment': 'dev-execution-20261130',
    'aws_s3_object.dags_folder': 'dags/',
  });
  const a = adoptionOf(j, new Map([['aws_vpc.vpc', 'vpc-1']]), TF, new Set());
  expect(a.unresolved).toEqual([]);
  expect(a.imports).toEqual({
    'aws_subnet.public_0': 'subnet-1',
    'aws_route_table.public_rt': 'rtb-1',
    'aws_route.public_default': 'rtb-1_0.0.0.0/0',
    'aws_route_table_association.public_0_rta': 'subnet-1/rtb-1',
    'aws_iam_role.execution': 'dev-execution',
    'aws_iam_policy.execution_policy': 'arn:aws:iam::123456789012:policy/dev-execution',
    'aws_iam_role_policy_attachment.execution_policy_attachment': 'dev-execution/arn:aws:iam::123456789012:policy/dev-execution',
    'aws_s3_object.dags_folder': 'dev-dags/dags/',
  });
});

test('references resolve through ids the state already records; a resource no longer configured is not adopted', () => {
  const j = journal({ 'aws_route_table_association.public_0_rta': 'rtbassoc-1', 'aws_nat_gateway.gone': 'nat-1' });
  const recorded = new Map([
    ['aws_subnet.public_0', 'subnet-9'],
    ['aws_route_table.public_rt', 'rtb-9'],
  ]);
  expect(adoptionOf(j, recorded, TF, new Set())).toEqual({ imports: { 'aws_route_table_association.public_0_rta': 'subnet-9/rtb-9' }, unresolved: [] });
});

test('an association whose references are unknown is named as unresolved, not imported with a wrong id', () => {
  const j = journal({ 'aws_route_table_association.public_0_rta': 'rtbassoc-1' });
  expect(adoptionOf(j, new Map(), TF, new Set())).toEqual({ imports: {}, unresolved: ['aws_route_table_association.public_0_rta'] });
});

test('the MWAA environment in flight (not recorded, no id journaled) is adopted by name only when it exists', () => {
  const j = journal({}, []);
  expect(mwaaInFlight(j, new Map(), TF)).toEqual(['dev']);
  expect(adoptionOf(j, new Map(), TF, new Set()).imports).toEqual({});
  expect(adoptionOf(j, new Map(), TF, new Set(['dev'])).imports).toEqual({ 'aws_mwaa_environment.environment': 'dev' });
  expect(mwaaInFlight(j, new Map([['aws_mwaa_environment.environment', 'dev']]), TF)).toEqual([]);
});

test('a route whose creation had begun when the run was killed (not recorded, no id journaled) is adopted only when it exists', () => {
  // killed between CreateRoute and the route's apply_complete: its route table is known, the route is not
  const j = journal({ 'aws_route_table.public_rt': 'rtb-1' }, ['aws_route_table.public_rt', 'aws_route.public_default', 'aws_vpc.vpc']);
  const inFlight = compositeInFlight(j, new Map(), TF);
  expect(inFlight).toEqual({ 'aws_route.public_default': 'rtb-1_0.0.0.0/0' });
  expect(adoptionOf(j, new Map(), TF, new Set()).imports).toEqual({ 'aws_route_table.public_rt': 'rtb-1' });
  expect(adoptionOf(j, new Map(), TF, new Set(), inFlight).imports).toEqual({ 'aws_route_table.public_rt': 'rtb-1', 'aws_route.public_default': 'rtb-1_0.0.0.0/0' });
  // recorded or journaled already: not in flight; a begun route whose table is unknown has no import id
  expect(compositeInFlight(j, new Map([['aws_route.public_default', 'r-1']]), TF)).toEqual({});
  expect(compositeInFlight(journal({}, ['aws_route.public_default']), new Map(), TF)).toEqual({});
});

test('compositeExists reads the route table, the role attachments and the object from AWS', async () => {
  const sent: string[] = [];
  const clients = {
    ec2: { send: async (c: { constructor: { name: string } }) => (sent.push(c.constructor.name), { RouteTables: [{ Routes: [{ DestinationCidrBlock: '0.0.0.0/0' }], Associations: [{ SubnetId: 'subnet-1' }] }] }) },
    iam: { send: async () => ({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::123456789012:policy/p' }] }) },
    s3: {
      send: async (c: { input: { Key: string } }) => {
        if (c.input.Key !== 'dags/') throw Object.assign(new Error('NotFound'), { name: 'NotFound' });
        return {};
      },
    },
  } as unknown as Parameters<typeof compositeExists>[0];
  expect(await compositeExists(clients, 'aws_route', 'rtb-1_0.0.0.0/0')).toBe(true);
  expect(await compositeExists(clients, 'aws_route', 'rtb-1_10.0.0.0/8')).toBe(false);
  expect(await compositeExists(clients, 'aws_route_table_association', 'subnet-1/rtb-1')).toBe(true);
  expect(await compositeExists(clients, 'aws_route_table_association', 'subnet-2/rtb-1')).toBe(false);
  expect(await compositeExists(clients, 'aws_iam_role_policy_attachment', 'role/arn:aws:iam::123456789012:policy/p')).toBe(true);
  expect(await compositeExists(clients, 'aws_iam_role_policy_attachment', 'role/arn:aws:iam::123456789012:policy/q')).toBe(false);
  expect(await compositeExists(clients, 'aws_s3_object', 'bucket/dags/')).toBe(true);
  expect(await compositeExists(clients, 'aws_s3_object', 'bucket/other')).toBe(false);
  expect(sent).toEqual(['DescribeRouteTablesCommand', 'DescribeRouteTablesCommand', 'DescribeRouteTablesCommand', 'DescribeRouteTablesCommand']);
});

test('nothing to adopt when the state records everything the journal holds', () => {
  const j = journal({ 'aws_vpc.vpc': 'vpc-1' });
  expect(adoptionOf(j, new Map([['aws_vpc.vpc', 'vpc-1']]), TF, new Set())).toEqual({ imports: {}, unresolved: [] });
});

test('state bucket versioning: access denied is silent (unknown); Enabled / Suspended / never set are told apart', async () => {
  const answer = (result: unknown) => ({ send: async () => { if (result instanceof Error) throw result; return result; } }) as unknown as S3Client;
  const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
  expect(await bucketVersioning(answer(denied), 'b')).toBe('unknown');
  expect(await bucketVersioning(answer({ Status: 'Enabled' }), 'b')).toBe('Enabled');
  expect(await bucketVersioning(answer({ Status: 'Suspended' }), 'b')).toBe('Suspended');
  expect(await bucketVersioning(answer({}), 'b')).toBe('Off');
  await expect(bucketVersioning(answer(Object.assign(new Error('no such bucket'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } })), 'b')).rejects.toThrow('no such bucket');
});
