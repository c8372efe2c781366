/**
 * The environment's network (guide §2.1, §7): a new VPC with public routing (IGW, NAT per AZ or single) or
 * private routing (no internet; VPC endpoints of §7.4), the environment security group, or existing IDs.
 */
import { Construct } from 'constructs';
import { Fn, Op, type ITerraformDependable, type Precondition } from 'cdktf';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DataAwsSubnet } from '@cdktf/provider-aws/lib/data-aws-subnet';
import type { NetworkSpec } from '../src/spec/types';
import type { EndpointServices } from '../src/aws/endpoints';
import { endpointServiceNameIn, type PartitionInfo } from '../src/aws/partition';
import { NAME_TAG_KEY } from '../src/aws/tags';
import { lit } from './literal';

export type { EndpointServices };


export interface MwaaNetworkProps {
  /** Environment name: prefix of every Name tag. */
  readonly name: string;
  /** Security group name (src/aws/names.ts). */
  readonly securityGroupName: string;
  /** The Region (real value; rendered through a literal placeholder). */
  readonly region: string;
  /** The Region's partition (endpoint service names). */
  readonly partition: PartitionInfo;
  readonly network: NetworkSpec;
  /** The VPC endpoints to create (src/aws/endpoints.ts endpointServicesFor). */
  readonly endpointServices: EndpointServices;
}

/**
 * The environment's network.
 *
 * Zones: with `availabilityZoneIds` the subnet pairs are pinned to those AZ IDs (`availability_zone_id`, no lookup).
 * Without, an `aws_availability_zones` data source (state available, no opt-in, real AZs only) gives the account's
 * zones and the pairs take the first two by name; a postcondition fails the plan, naming
 * `network.availabilityZoneIds`, when there are fewer than two. Looked-up zones are ignored after creation
 * (`ignore_changes`), so a later change of the account's zone list never replaces subnets (and so the environment).
 * No zone name is ever built from the Region string.
 *
 * Existing networks: the two subnets are looked up (`aws_subnet`) on every plan and {@link preconditions} (carried by
 * the environment) check they are in different zones (V-01) and in `vpcId`.
 */
export class MwaaNetwork extends Construct {
  /** The two private subnets of the environment. */
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly vpcId: string;
  /**
   * Resources the environment must wait for: the private subnets' route table associations, the security group's
   * rules, and the NAT default routes (public routing) or the VPC endpoints.
   */
  readonly dependables: ITerraformDependable[] = [];
  /** Plan-time checks the environment resource carries (existing networks). */
  readonly preconditions: Precondition[] = [];

  constructor(scope: Construct, id: string, props: MwaaNetworkProps) {
    super(scope, id);
    const net = props.network;
    if (net.mode === 'existing') {
      this.vpcId = lit(this, net.vpcId);
      this.subnetIds = net.subnetIds.map((s) => lit(this, s));
      this.securityGroupIds = net.securityGroupIds.map((s) => lit(this, s));
      this.checkExistingSubnets(net.vpcId, net.subnetIds);
      return;
    }
    const name = props.name;
    const tag = (suffix: string) => ({ [NAME_TAG_KEY]: lit(this, `${name}${suffix}`) });
    const pinned = net.availabilityZoneIds && net.availabilityZoneIds.length === 2 ? net.availabilityZoneIds : undefined;
    let zones: DataAwsAvailabilityZones | undefined;
    if (!pinned) {
      zones = new DataAwsAvailabilityZones(this, 'zones', {
        state: 'available',
        filter: [
          { name: 'opt-in-status', values: ['opt-in-not-required'] },
          { name: 'zone-type', values: ['availability-zone'] },
        ],
        lifecycle: {
          postcondition: [
            {
              condition: '${length(self.names) >= 2}',
              errorMessage: `network.availabilityZoneIds: Region ${lit(this, props.region)} has fewer than two available Availability Zones without opt-in for this account (found: \${join(", ", self.names)}); MWAA needs two. Pin two AZ IDs of the Region in network.availabilityZoneIds.`,
            },
          ],
        },
      });
    }
    /** Zone arguments of subnet pair `i`. */
    const zoneOf = (i: number) =>
      pinned
        ? { availabilityZoneId: lit(this, pinned[i]) }
        : { availabilityZone: Fn.element(zones!.names, i), lifecycle: { ignoreChanges: ['availability_zone'] } };

    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: lit(this, net.vpcCidr),
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tag(''),
    });
    this.vpcId = vpc.id;
    // The VPC's default security group, adopted with no rules: nothing that lands in it by default can talk.
    new DefaultSecurityGroup(this, 'vpc_default_sg', {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: tag(' default (no rules)'),
    });

    const privateSubnets = [0, 1].map(
      (i) =>
        new Subnet(this, `private_${i}`, {
          vpcId: vpc.id,
          ...zoneOf(i),
          cidrBlock: lit(this, net.privateSubnets[i]),
          mapPublicIpOnLaunch: false,
          tags: tag(` Private Subnet (AZ${i + 1})`),
        }),
    );
    this.subnetIds = privateSubnets.map((s) => s.id);
    const privateTables = [0, 1].map((i) => {
      const rt = new RouteTable(this, `private_${i}_rt`, { vpcId: vpc.id, tags: tag(` Private Routes (AZ${i + 1})`) });
      // The environment must not start before its subnets route (guide V-02/V-03): it waits for these.
      this.dependables.push(new RouteTableAssociation(this, `private_${i}_rta`, { routeTableId: rt.id, subnetId: privateSubnets[i].id }));
      return rt;
    });

    const sg = new SecurityGroup(this, 'mwaa', {
      name: lit(this, props.securityGroupName),
      description: 'Amazon MWAA environment: self-referencing all-traffic ingress, all-traffic egress',
      vpcId: vpc.id,
      tags: tag('-mwaa'),
    });
    // The environment waits for the group's rules too: a group without them cannot reach its own workers or AWS.
    this.dependables.push(
      new VpcSecurityGroupIngressRule(this, 'mwaa_self', {
        securityGroupId: sg.id,
        referencedSecurityGroupId: sg.id,
        ipProtocol: '-1',
        description: 'All traffic from the environment itself',
      }),
      new VpcSecurityGroupEgressRule(this, 'mwaa_egress_all', {
        securityGroupId: sg.id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: '-1',
        description: 'All outbound traffic (Terraform removes the AWS default egress rule)',
      }),
    );
    net.webAccessCidrs.forEach((cidr, i) => {
      this.dependables.push(
        new VpcSecurityGroupIngressRule(this, `mwaa_https_${i}`, {
          securityGroupId: sg.id,
          cidrIpv4: lit(this, cidr),
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          description: 'HTTPS to the private web server',
        }),
      );
    });
    this.securityGroupIds = [sg.id];

    if (net.routing === 'public') {
      const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: tag('') });
      const publicSubnets = [0, 1].map(
        (i) =>
          new Subnet(this, `public_${i}`, {
            vpcId: vpc.id,
            ...zoneOf(i),
            cidrBlock: lit(this, net.publicSubnets[i]),
            mapPublicIpOnLaunch: true,
            tags: tag(` Public Subnet (AZ${i + 1})`),
          }),
      );
      const publicRt = new RouteTable(this, 'public_rt', { vpcId: vpc.id, tags: tag(' Public Routes') });
      new Route(this, 'public_default', { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
      publicSubnets.forEach((s, i) => new RouteTableAssociation(this, `public_${i}_rta`, { routeTableId: publicRt.id, subnetId: s.id }));
      const natCount = net.natGateways === 'single' ? 1 : 2;
      const nats = Array.from({ length: natCount }, (_, i) => {
        const eip = new Eip(this, `nat_${i}_eip`, { domain: 'vpc', dependsOn: [igw], tags: tag(` NAT (AZ${i + 1})`) });
        return new NatGateway(this, `nat_${i}`, { allocationId: eip.allocationId, subnetId: publicSubnets[i].id, tags: tag(` NAT (AZ${i + 1})`) });
      });
      privateTables.forEach((rt, i) =>
        this.dependables.push(
          new Route(this, `private_${i}_default`, {
            routeTableId: rt.id,
            destinationCidrBlock: '0.0.0.0/0',
            natGatewayId: nats[Math.min(i, nats.length - 1)].id,
          }),
        ),
      );
    }

    const services = props.endpointServices;
    const region = lit(this, props.region);
    const serviceName = (s: string) => {
      const n = endpointServiceNameIn(props.partition, s, region);
      // Rule MWAA-NET-010 refuses specs that need an unverified name; reaching here with one is a bug.
      if (!n.verified) throw new Error(`internal: VPC endpoint service ${s} has no verified name in partition ${props.partition.id}`);
      return n.name;
    };
    for (const s of services.gateway) {
      this.dependables.push(
        new VpcEndpoint(this, `endpoint_${s.replace(/\W/g, '_')}`, {
          vpcId: vpc.id,
          serviceName: serviceName(s),
          vpcEndpointType: 'Gateway',
          routeTableIds: privateTables.map((rt) => rt.id),
          tags: tag(`-${s}`),
        }),
      );
    }
    for (const s of services.interface) {
      this.dependables.push(
        new VpcEndpoint(this, `endpoint_${s.replace(/\W/g, '_')}`, {
          vpcId: vpc.id,
          serviceName: serviceName(s),
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: this.subnetIds,
          securityGroupIds: [sg.id],
          tags: tag(`-${s}`),
        }),
      );
    }
  }

  /** V-01 at plan time: both subnets exist, lie in `vpcId`, and are in two different Availability Zones. */
  private checkExistingSubnets(vpcId: string, subnetIds: string[]): void {
    if (subnetIds.length !== 2) return; // rule MWAA-NET-006 refuses other counts
    const subnets = subnetIds.map((s, i) => new DataAwsSubnet(this, `subnet_${i}`, { id: lit(this, s) }));
    subnets.forEach((sub, i) => {
      this.preconditions.push({
        condition: Op.eq(sub.vpcId, lit(this, vpcId)),
        errorMessage: `network.subnetIds.${i}: subnet ${lit(this, subnetIds[i])} is in VPC ${sub.vpcId}, not in network.vpcId ${lit(this, vpcId)}. List two subnets of that VPC.`,
      });
    });
    this.preconditions.push({
      condition: Op.neq(subnets[0].availabilityZoneId, subnets[1].availabilityZoneId),
      errorMessage: `network.subnetIds: subnets ${lit(this, subnetIds[0])} and ${lit(this, subnetIds[1])} are both in Availability Zone ${subnets[0].availabilityZone} (${subnets[0].availabilityZoneId}); MWAA needs two private subnets in two different Availability Zones. List a subnet of another zone.`,
    });
  }
}
