import type { SpecRule, Violation } from '../types';
import { v } from '../util';
import { overlaps, parseCidr } from './cidr';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-003',
    severity: 'error',
    description: 'Subnet CIDRs (private and public) do not overlap each other.',
    // sources: Amazon VPC: subnet CIDR blocks in a VPC cannot overlap
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-create.html',
  },
  check({ spec }) {
    const n = spec.network;
    if (n.mode !== 'create') return [];
    const all = [
      ...n.privateSubnets.map((s, i) => ({ s, path: `network.privateSubnets.${i}` })),
      ...n.publicSubnets.map((s, i) => ({ s, path: `network.publicSubnets.${i}` })),
    ].map((x) => ({ ...x, r: parseCidr(x.s) }));
    const out: Violation[] = [];
    for (let j = 0; j < all.length; j++) {
      for (let i = 0; i < j; i++) {
        const a = all[i];
        const b = all[j];
        if (a.r && b.r && overlaps(a.r, b.r)) {
          out.push(v(b.path, `Subnet ${b.s} overlaps ${a.s} (${a.path}).`, 'Give each subnet its own, non-overlapping block, e.g. consecutive /24s.'));
        }
      }
    }
    return out;
  },
};
