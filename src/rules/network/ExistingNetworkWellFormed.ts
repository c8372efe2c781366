import type { SpecRule, Violation } from '../types';
import { v } from '../util';

const VPC = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SUBNET = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SG = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-006',
    severity: 'error',
    description: 'An existing network has a well-formed vpc- id, exactly 2 distinct subnet- ids and 1-5 distinct sg- ids.',
    // sources: MWAA API NetworkConfiguration (SubnetIds 2..2, SecurityGroupIds 1..5); EC2 resource id format
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-create.html',
  },
  check({ spec }) {
    const n = spec.network;
    if (n.mode !== 'existing') return [];
    const out: Violation[] = [];
    if (!VPC.test(n.vpcId)) out.push(v('network.vpcId', `"${n.vpcId}" is not a VPC id.`, 'Write it like vpcId: vpc-0123456789abcdef0.'));
    if (n.subnetIds.length !== 2) out.push(v('network.subnetIds', `MWAA needs exactly 2 subnets (private, in two Availability Zones); ${n.subnetIds.length} given.`, 'List exactly two subnet ids.', { atKey: true }));
    n.subnetIds.forEach((s, i) => {
      if (!SUBNET.test(s)) out.push(v(`network.subnetIds.${i}`, `"${s}" is not a subnet id.`, 'Write it like subnet-0123456789abcdef0.'));
      else if (n.subnetIds.indexOf(s) !== i) out.push(v(`network.subnetIds.${i}`, `Subnet ${s} is listed twice; the two subnets must differ (two AZs).`, 'List two different subnets.'));
    });
    if (n.securityGroupIds.length < 1 || n.securityGroupIds.length > 5) {
      out.push(v('network.securityGroupIds', `MWAA accepts 1 to 5 security groups; ${n.securityGroupIds.length} given.`, 'List between 1 and 5 security group ids.', { atKey: true }));
    }
    n.securityGroupIds.forEach((s, i) => {
      if (!SG.test(s)) out.push(v(`network.securityGroupIds.${i}`, `"${s}" is not a security group id.`, 'Write it like sg-0123456789abcdef0.'));
      else if (n.securityGroupIds.indexOf(s) !== i) out.push(v(`network.securityGroupIds.${i}`, `Security group ${s} is listed twice.`, 'Remove the duplicate.'));
    });
    return out;
  },
};
