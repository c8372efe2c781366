import type { SpecRule, Violation } from '../types';
import { v } from '../util';
import { inside, parseCidr } from './cidr';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-002',
    severity: 'error',
    description: 'Every subnet CIDR lies inside vpcCidr.',
    // sources (developer notes): Amazon VPC: a subnet CIDR must be a subset of the VPC CIDR; MWAA User Guide notes 2.1/2.2
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-create.html',
  },
  check({ spec }) {
    const n = spec.network;
    if (n.mode !== 'create') return [];
    const vpc = parseCidr(n.vpcCidr);
    if (!vpc) return [];
    const out: Violation[] = [];
    const lists: Array<['privateSubnets' | 'publicSubnets', string[]]> = [
      ['privateSubnets', n.privateSubnets],
      ['publicSubnets', n.publicSubnets],
    ];
    for (const [name, list] of lists) {
      list.forEach((s, i) => {
        const r = parseCidr(s);
        if (r && !inside(r, vpc)) {
          out.push(v(`network.${name}.${i}`, `Subnet ${s} is not inside the VPC CIDR ${n.vpcCidr}.`, `Pick a block inside ${n.vpcCidr}, or widen network.vpcCidr.`));
        }
      });
    }
    return out;
  },
};
