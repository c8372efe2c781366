import { endpointServicesFor } from '../../src/aws/endpoints';
import { addresses, devSpec, existingSpec, privateSpec, synthSpec } from './fixtures';
import type { EnvironmentSpec } from '../../src/spec/types';

const ZONE = (i: number) => `\${element(data.aws_availability_zones.zones.names, ${i})}`;

function withNetwork(s: EnvironmentSpec, patch: Partial<Extract<EnvironmentSpec['network'], { mode: 'create' }>>): EnvironmentSpec {
  if (s.network.mode !== 'create') throw new Error('create network expected');
  return { ...s, network: { ...s.network, ...patch } };
}

describe('MwaaNetwork', () => {
  it('public routing: VPC with DNS, IGW, 2 public + 2 private subnets, NAT + EIP per AZ, routes as the guide', () => {
    const tf = synthSpec(devSpec());
    const r = tf.resource;
    expect(r.aws_vpc.vpc).toMatchObject({ cidr_block: '10.192.0.0/16', enable_dns_support: true, enable_dns_hostnames: true });
    expect(r.aws_subnet.public_0).toMatchObject({ cidr_block: '10.192.10.0/24', availability_zone: ZONE(0), map_public_ip_on_launch: true });
    expect(r.aws_subnet.public_1).toMatchObject({ cidr_block: '10.192.11.0/24', availability_zone: ZONE(1) });
    expect(r.aws_subnet.private_0).toMatchObject({ cidr_block: '10.192.20.0/24', availability_zone: ZONE(0), map_public_ip_on_launch: false });
    expect(r.aws_subnet.private_1.availability_zone).toBe(ZONE(1));
    expect(Object.keys(r.aws_nat_gateway)).toEqual(['nat_0', 'nat_1']);
    expect(r.aws_nat_gateway.nat_1).toMatchObject({ allocation_id: '${aws_eip.nat_1_eip.allocation_id}', subnet_id: '${aws_subnet.public_1.id}' });
    expect(r.aws_eip.nat_0_eip).toMatchObject({ domain: 'vpc', depends_on: ['aws_internet_gateway.igw'] });
    expect(r.aws_route.public_default).toMatchObject({ destination_cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.igw.id}' });
    expect(r.aws_route.private_0_default.nat_gateway_id).toBe('${aws_nat_gateway.nat_0.id}');
    expect(r.aws_route.private_1_default.nat_gateway_id).toBe('${aws_nat_gateway.nat_1.id}');
    expect(r.aws_route.private_0_default.gateway_id).toBeUndefined();
    expect(Object.keys(r.aws_route_table)).toHaveLength(3);
    expect(r.aws_vpc_endpoint).toBeUndefined();
    expect(r.aws_vpc.vpc.tags.Name).toBe('analytics-dev');
    // The environment waits until its private subnets route through the NAT gateways (V-02/V-03).
    expect(r.aws_mwaa_environment.environment.depends_on).toEqual(
      expect.arrayContaining([
        'aws_route.private_0_default',
        'aws_route.private_1_default',
        'aws_route_table_association.private_0_rta',
        'aws_route_table_association.private_1_rta',
      ]),
    );
  });

  it('zones: no zone name is built from the Region; the account\'s available, no-opt-in zones are looked up (two required, naming the spec field)', () => {
    for (const region of ['ap-northeast-1', 'us-west-1', 'eu-west-1']) {
      const tf = synthSpec({ ...devSpec(), region });
      const text = JSON.stringify(tf);
      expect(text).not.toMatch(new RegExp(`"${region}[a-z]"`));
      const zones = tf.data.aws_availability_zones.zones;
      expect(zones.state).toBe('available');
      expect(zones.filter).toEqual([
        { name: 'opt-in-status', values: ['opt-in-not-required'] },
        { name: 'zone-type', values: ['availability-zone'] },
      ]);
      expect(zones.lifecycle.postcondition[0].condition).toBe('${length(self.names) >= 2}');
      expect(zones.lifecycle.postcondition[0].error_message).toContain('network.availabilityZoneIds');
      for (const id of ['private_0', 'private_1', 'public_0', 'public_1']) {
        // chosen once: a later change of the account's zone list never replaces a subnet (and so the environment)
        expect(tf.resource.aws_subnet[id].lifecycle).toEqual({ ignore_changes: ['availability_zone'] });
        expect(tf.resource.aws_subnet[id].availability_zone_id).toBeUndefined();
      }
    }
  });

  it('zones: pinned AZ IDs go to availability_zone_id, with no lookup', () => {
    const tf = synthSpec(withNetwork({ ...devSpec(), region: 'ap-northeast-1' }, { availabilityZoneIds: ['apne1-az4', 'apne1-az1'] }));
    expect(tf.data?.aws_availability_zones).toBeUndefined();
    expect(tf.resource.aws_subnet.private_0).toMatchObject({ availability_zone_id: 'apne1-az4' });
    expect(tf.resource.aws_subnet.public_1).toMatchObject({ availability_zone_id: 'apne1-az1' });
    expect(tf.resource.aws_subnet.private_0.availability_zone).toBeUndefined();
    expect(tf.resource.aws_subnet.private_0.lifecycle).toBeUndefined();
  });

  it('the VPC\'s default security group is adopted with no rules (enforced on every plan)', () => {
    const r = synthSpec(devSpec()).resource;
    expect(r.aws_default_security_group.vpc_default_sg).toMatchObject({ vpc_id: '${aws_vpc.vpc.id}', ingress: [], egress: [] });
  });

  it('the environment waits for the security group rules, not only the group', () => {
    const r = synthSpec(privateSpec()).resource;
    const deps: string[] = r.aws_mwaa_environment.environment.depends_on;
    for (const rule of ['aws_vpc_security_group_ingress_rule.mwaa_self', 'aws_vpc_security_group_egress_rule.mwaa_egress_all', 'aws_vpc_security_group_ingress_rule.mwaa_https_0', 'aws_vpc_security_group_ingress_rule.mwaa_https_1']) {
      expect(deps).toContain(rule);
    }
  });

  it('security group: named after the environment, self all-traffic ingress and explicit all-traffic egress', () => {
    const r = synthSpec(devSpec()).resource;
    expect(r.aws_security_group.mwaa).toMatchObject({ name: 'analytics-dev-mwaa', vpc_id: '${aws_vpc.vpc.id}' });
    expect(r.aws_security_group.mwaa.ingress).toBeUndefined();
    expect(r.aws_vpc_security_group_ingress_rule.mwaa_self).toMatchObject({
      security_group_id: '${aws_security_group.mwaa.id}',
      referenced_security_group_id: '${aws_security_group.mwaa.id}',
      ip_protocol: '-1',
    });
    expect(r.aws_vpc_security_group_egress_rule.mwaa_egress_all).toMatchObject({ cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' });
  });

  it('natGateways: single -> one NAT and EIP shared by both private route tables', () => {
    const s = devSpec();
    if (s.network.mode === 'create') s.network.natGateways = 'single';
    const r = synthSpec(s).resource;
    expect(Object.keys(r.aws_nat_gateway)).toEqual(['nat_0']);
    expect(Object.keys(r.aws_eip)).toEqual(['nat_0_eip']);
    expect(r.aws_route.private_1_default.nat_gateway_id).toBe('${aws_nat_gateway.nat_0.id}');
  });

  it('private routing: no IGW/NAT/public subnets; S3 gateway + interface endpoints with private DNS, both subnets, the SG', () => {
    const tf = synthSpec(privateSpec());
    const r = tf.resource;
    for (const t of ['aws_internet_gateway', 'aws_nat_gateway', 'aws_eip', 'aws_route']) expect(r[t]).toBeUndefined();
    expect(Object.keys(r.aws_subnet).sort()).toEqual(['private_0', 'private_1']);
    const eps = r.aws_vpc_endpoint;
    const wanted = endpointServicesFor(privateSpec());
    expect(Object.keys(eps)).toHaveLength(wanted.gateway.length + wanted.interface.length);
    expect(eps.endpoint_s3).toMatchObject({
      service_name: 'com.amazonaws.eu-west-1.s3',
      vpc_endpoint_type: 'Gateway',
      route_table_ids: ['${aws_route_table.private_0_rt.id}', '${aws_route_table.private_1_rt.id}'],
    });
    const names = Object.values<any>(eps).map((e) => e.service_name).sort();
    for (const svc of ['monitoring', 'ecr.dkr', 'ecr.api', 'logs', 'sqs', 'kms', 'airflow.api', 'airflow.env', 'airflow.ops']) {
      expect(names).toContain(`com.amazonaws.eu-west-1.${svc}`);
    }
    for (const [id, e] of Object.entries<any>(eps)) {
      if (id === 'endpoint_s3') continue;
      expect(e).toMatchObject({
        vpc_endpoint_type: 'Interface',
        private_dns_enabled: true,
        subnet_ids: ['${aws_subnet.private_0.id}', '${aws_subnet.private_1.id}'],
        security_group_ids: ['${aws_security_group.mwaa.id}'],
      });
    }
    // the environment waits for every endpoint
    const deps: string[] = r.aws_mwaa_environment.environment.depends_on;
    for (const id of Object.keys(eps)) expect(deps).toContain(`aws_vpc_endpoint.${id}`);
  });

  it('private routing + secrets backend: a secretsmanager endpoint (connection lookups have no other way out)', () => {
    const s = privateSpec();
    expect(Object.values<any>(synthSpec(s).resource.aws_vpc_endpoint).map((e) => e.service_name)).not.toContain('com.amazonaws.eu-west-1.secretsmanager');
    s.iam.secretsBackend = { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' };
    const ep = synthSpec(s).resource.aws_vpc_endpoint.endpoint_secretsmanager;
    expect(ep).toMatchObject({ service_name: 'com.amazonaws.eu-west-1.secretsmanager', vpc_endpoint_type: 'Interface', private_dns_enabled: true });
  });

  it('extraEndpoints: interface endpoints in either routing mode', () => {
    const pub = synthSpec(withNetwork(devSpec(), { extraEndpoints: ['sts', 'glue'] })).resource.aws_vpc_endpoint;
    expect(Object.values<any>(pub).map((e) => e.service_name).sort()).toEqual(['com.amazonaws.eu-west-1.glue', 'com.amazonaws.eu-west-1.sts']);
    const priv = synthSpec(withNetwork(privateSpec(), { extraEndpoints: ['athena'] })).resource.aws_vpc_endpoint;
    expect(priv.endpoint_athena.service_name).toBe('com.amazonaws.eu-west-1.athena');
  });

  it('China: endpoint service names from the partition table (cn.com.amazonaws for sts, ecr), never a guess', () => {
    const s = withNetwork({ ...devSpec(), region: 'cn-northwest-1' }, { extraEndpoints: ['sts', 'ec2'] });
    const eps = synthSpec(s).resource.aws_vpc_endpoint;
    expect(eps.endpoint_sts.service_name).toBe('cn.com.amazonaws.cn-northwest-1.sts');
    expect(eps.endpoint_ec2.service_name).toBe('cn.com.amazonaws.cn-northwest-1.ec2');
    // a service whose China name is not verified is refused by validation (MWAA-NET-010); the stack refuses too
    expect(() => synthSpec(withNetwork({ ...devSpec(), region: 'cn-north-1' }, { extraEndpoints: ['glue'] }))).toThrow(/no verified name/);
  });

  it('webAccessCidrs: one HTTPS (443) ingress rule per CIDR', () => {
    const r = synthSpec(privateSpec()).resource;
    expect(r.aws_vpc_security_group_ingress_rule.mwaa_https_0).toMatchObject({ cidr_ipv4: '10.0.0.0/8', ip_protocol: 'tcp', from_port: 443, to_port: 443 });
    expect(r.aws_vpc_security_group_ingress_rule.mwaa_https_1.cidr_ipv4).toBe('192.168.0.0/16');
  });

  it('existing network: no network resources, the given subnet and security group IDs are used', () => {
    const tf = synthSpec(existingSpec());
    const addrs = addresses(tf);
    for (const t of ['aws_vpc', 'aws_subnet', 'aws_security_group', 'aws_route_table', 'aws_vpc_endpoint']) {
      expect(addrs.some((a) => a.startsWith(`${t}.`))).toBe(false);
    }
    expect(tf.resource.aws_mwaa_environment.environment.network_configuration).toEqual({
      subnet_ids: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
      security_group_ids: ['sg-0ccccccccccccccc3'],
    });
    expect(tf.output.subnet_ids.value).toEqual(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2']);
  });

  it('existing network (V-01): both subnets looked up; preconditions naming network.subnetIds check two zones and the VPC', () => {
    const tf = synthSpec(existingSpec());
    expect(tf.data.aws_subnet.subnet_0.id).toBe('subnet-0aaaaaaaaaaaaaaa1');
    expect(tf.data.aws_subnet.subnet_1.id).toBe('subnet-0bbbbbbbbbbbbbbb2');
    const pre = tf.resource.aws_mwaa_environment.environment.lifecycle.precondition;
    expect(pre).toContainEqual({
      condition: '${(data.aws_subnet.subnet_0.availability_zone_id != data.aws_subnet.subnet_1.availability_zone_id)}',
      error_message: expect.stringMatching(/^network\.subnetIds: subnets subnet-0aaaaaaaaaaaaaaa1 and subnet-0bbbbbbbbbbbbbbb2 are both in Availability Zone/),
    });
    expect(pre).toContainEqual({
      condition: '${(data.aws_subnet.subnet_1.vpc_id == "vpc-0123456789abcdef0")}',
      error_message: expect.stringMatching(/^network\.subnetIds\.1: .* not in network\.vpcId vpc-0123456789abcdef0/),
    });
  });
});
