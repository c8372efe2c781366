/**
 * The environment's network (guide §2.1, §7): a new VPC with public routing (IGW, NAT per AZ or single) or
 * private routing (no internet; VPC endpoints of §7.4), the environment security group, or existing IDs.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
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
import type { NetworkSpec } from '../src/spec/types';
import { lit } from './literal';
import endpointTable from '../data/vpc-endpoints.json';

export interface VpcEndpointServices {
  gateway: string[];
  interface: string[];
}

/** The VPC endpoint services of data/vpc-endpoints.json (guide §7.4). */
export const VPC_ENDPOINT_SERVICES: VpcEndpointServices = { gateway: endpointTable.gateway, interface: endpointTable.interface };

export interface MwaaNetworkProps {
  /** Environment name: prefix of every Name tag and of the security group name. */
  readonly name: string;
  readonly region: string;
  readonly network: NetworkSpec;
  /** Availability zones of the two subnet pairs (default `<region>a`, `<region>b`). */
  readonly availabilityZones?: [string, string];
  /** Endpoint services for private routing (default {@link VPC_ENDPOINT_SERVICES}). */
  readonly endpointServices?: VpcEndpointServices;
}

export class MwaaNetwork extends Construct {
  /** The two private subnets of the environment. */
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly vpcId: string;
  /** Resources the environment must wait for: the private subnets' route table associations, and the NAT default routes (public routing) or the VPC endpoints (private routing). */
  readonly dependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: MwaaNetworkProps) {
    super(scope, id);
    const net = props.network;
    if (net.mode === 'existing') {
      this.vpcId = lit(this, net.vpcId);
      this.subnetIds = net.subnetIds.map((s) => lit(this, s));
      this.securityGroupIds = net.securityGroupIds.map((s) => lit(this, s));
      return;
    }
    const name = props.name;
    const tag = (suffix: string) => ({ Name: lit(this, `${name}${suffix}`) });
    const azs = props.availabilityZones ?? [`${props.region}a`, `${props.region}b`];

    const vpc = new Vpc(this, 'vpc', {
      cidrBlock: lit(this, net.vpcCidr),
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tag(''),
    });
    this.vpcId = vpc.id;

    const privateSubnets = [0, 1].map(
      (i) =>
        new Subnet(this, `private_${i}`, {
          vpcId: vpc.id,
          availabilityZone: lit(this, azs[i]),
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
      name: lit(this, `${name}-mwaa`),
      description: 'Amazon MWAA environment: self-referencing all-traffic ingress, all-traffic egress',
      vpcId: vpc.id,
      tags: tag('-mwaa'),
    });
    new VpcSecurityGroupIngressRule(this, 'mwaa_self', {
      securityGroupId: sg.id,
      referencedSecurityGroupId: sg.id,
      ipProtocol: '-1',
      description: 'All traffic from the environment itself',
    });
    new VpcSecurityGroupEgressRule(this, 'mwaa_egress_all', {
      securityGroupId: sg.id,
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: '-1',
      description: 'All outbound traffic (Terraform removes the AWS default egress rule)',
    });
    net.webAccessCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `mwaa_https_${i}`, {
        securityGroupId: sg.id,
        cidrIpv4: lit(this, cidr),
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: 'HTTPS to the private web server',
      });
    });
    this.securityGroupIds = [sg.id];

    if (net.routing === 'public') {
      const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: tag('') });
      const publicSubnets = [0, 1].map(
        (i) =>
          new Subnet(this, `public_${i}`, {
            vpcId: vpc.id,
            availabilityZone: lit(this, azs[i]),
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
    } else {
      const services = props.endpointServices ?? VPC_ENDPOINT_SERVICES;
      const svc = (s: string) => lit(this, `com.amazonaws.${props.region}.${s}`);
      for (const s of services.gateway) {
        this.dependables.push(
          new VpcEndpoint(this, `endpoint_${s.replace(/\W/g, '_')}`, {
            vpcId: vpc.id,
            serviceName: svc(s),
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
            serviceName: svc(s),
            vpcEndpointType: 'Interface',
            privateDnsEnabled: true,
            subnetIds: this.subnetIds,
            securityGroupIds: [sg.id],
            tags: tag(`-${s}`),
          }),
        );
      }
    }
  }
}
