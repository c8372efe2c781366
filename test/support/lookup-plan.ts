/**
 * Create-only plans of stacks whose plan reads AWS (the availability-zone lookup, existing subnets, the caller's
 * account): moto answers EC2 and STS (src/sandbox/offline.ts offlineLookupEnv), nothing else is reachable.
 * Test support only.
 */
import { EC2Client, CreateSubnetCommand, CreateVpcCommand, CreateSecurityGroupCommand, DescribeAvailabilityZonesCommand } from '@aws-sdk/client-ec2';
import { MotoServer } from '../../src/sandbox/moto';
import { OFFLINE_PROVIDER_OVERRIDES, offlineLookupEnv } from '../../src/sandbox/offline';

export interface LookupEmulator {
  moto: MotoServer;
  /** Provider arguments to synthesize the stacks with (the offline target). */
  target: Record<string, unknown>;
  /** Environment for terraform (and its provider) that sends the plan-time EC2/STS reads to moto. */
  env: Record<string, string>;
  /** Creates a VPC with two subnets (in `zones`, names of the Region's emulated zones) and a security group. */
  network(region: string, zones: [string, string]): Promise<{ vpcId: string; subnetIds: string[]; securityGroupId: string }>;
  /** The emulated zone names of a Region, sorted. */
  zones(region: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startLookupEmulator(): Promise<LookupEmulator> {
  // moto's Python start-up is seconds of CPU: on a loaded machine (tests run beside each other) it can take minutes
  const moto = new MotoServer({ startTimeoutMs: 240000 });
  await moto.start();
  let cidr = 10;
  const client = (region: string) => new EC2Client({ region, endpoint: moto.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  return {
    moto,
    target: OFFLINE_PROVIDER_OVERRIDES,
    env: offlineLookupEnv(moto.endpoint),
    async network(region, zones) {
      const ec2 = client(region);
      const n = cidr++;
      const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${n}.0.0/16` }));
      const vpcId = vpc.Vpc!.VpcId!;
      const subnetIds: string[] = [];
      for (const [i, zone] of zones.entries()) {
        const s = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${n}.${i + 1}.0/24`, AvailabilityZone: zone }));
        subnetIds.push(s.Subnet!.SubnetId!);
      }
      const sg = await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `mwaa-${n}`, Description: 'MWAA' }));
      ec2.destroy();
      return { vpcId, subnetIds, securityGroupId: sg.GroupId! };
    },
    async zones(region) {
      const ec2 = client(region);
      const r = await ec2.send(new DescribeAvailabilityZonesCommand({}));
      ec2.destroy();
      return (r.AvailabilityZones ?? []).map((z) => z.ZoneName!).sort();
    },
    stop: () => moto.stop(),
  };
}

/** `{ address -> change }` of a `terraform show -json` plan. */
export function changesByAddress(plan: any): Record<string, { actions: string[]; after: any }> {
  const out: Record<string, { actions: string[]; after: any }> = {};
  for (const c of plan.resource_changes ?? []) out[c.address] = { actions: c.change.actions, after: c.change.after };
  return out;
}
