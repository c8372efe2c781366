import { Validator } from 'ip-num';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';
import { parseCidr, prefixOf } from './cidr';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-001',
    severity: 'error',
    description: 'vpcCidr, subnet CIDRs and webAccessCidrs are valid IPv4 CIDRs with host bits zero; VPC and subnets between /16 and /28.',
    // sources (developer notes): Amazon VPC: VPC and subnet CIDR blocks /16 to /28; MWAA User Guide notes 2.1 (template CIDRs)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-create.html',
  },
  check({ spec }) {
    const n = spec.network;
    if (n.mode !== 'create') return [];
    const out: Violation[] = [];
    const check = (path: string, s: string, vpcLike: boolean) => {
      if (!Validator.isValidIPv4CidrNotation(s)[0]) {
        out.push(v(path, `"${s}" is not an IPv4 CIDR.`, 'Write it as a.b.c.d/n, e.g. 10.192.20.0/24.'));
        return;
      }
      const r = parseCidr(s);
      if (!r) {
        const [ip, len] = s.split('/');
        out.push(v(path, `"${s}" has host bits set (${ip} is not the start of a /${len} block).`, `Use the network address of the block (compute ${ip} masked to /${len}).`));
        return;
      }
      if (vpcLike && (prefixOf(r) < 16 || prefixOf(r) > 28)) {
        out.push(v(path, `"${s}" has prefix /${prefixOf(r)}; VPCs and subnets must be between /16 and /28.`, 'Choose a prefix length from /16 to /28.'));
      }
    };
    check('network.vpcCidr', n.vpcCidr, true);
    n.privateSubnets.forEach((s, i) => check(`network.privateSubnets.${i}`, s, true));
    n.publicSubnets.forEach((s, i) => check(`network.publicSubnets.${i}`, s, true));
    n.webAccessCidrs.forEach((s, i) => check(`network.webAccessCidrs.${i}`, s, false));
    return out;
  },
};
