import { regionEntry } from '../../aws/partition';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';

/**
 * `network.availabilityZoneIds` (pinned zones): exactly two, distinct, and AZ IDs of the environment's Region
 * (`<Region prefix>-az<N>`, data/regions.json azIdPrefix). A zone name (`us-east-1a`) is refused: names map to
 * different zones in different accounts; IDs do not.
 */
export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-008',
    severity: 'error',
    description: 'network.availabilityZoneIds, when set, lists two distinct AZ IDs of the environment Region (e.g. use1-az1, use1-az2; not zone names).',
    // sources (developer notes): guide check 01 (two subnets in two AZs); AWS Regions and Availability Zones guide, AZ IDs (data/regions.json azIdPrefix)
    reference: 'https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html',
  },
  check({ spec }) {
    const n = spec.network;
    if (n.mode !== 'create' || n.availabilityZoneIds === undefined) return [];
    const ids = n.availabilityZoneIds;
    const out: Violation[] = [];
    const prefix = regionEntry(spec.region)?.azIdPrefix;
    const example = prefix ? `[${prefix}-az1, ${prefix}-az2]` : '[use1-az1, use1-az2]';
    if (ids.length !== 2) {
      out.push(v('network.availabilityZoneIds', `${ids.length} AZ IDs given; the environment's two subnet pairs need exactly two.`, `List two AZ IDs of ${spec.region}, e.g. availabilityZoneIds: ${example}`, { atKey: true }));
    }
    ids.forEach((id, i) => {
      const path = `network.availabilityZoneIds.${i}`;
      if (ids.indexOf(id) !== i) {
        out.push(v(path, `AZ ID ${id} is listed twice; MWAA needs its two subnets in two different Availability Zones.`, `List two different AZ IDs of ${spec.region}, e.g. ${example}`));
        return;
      }
      if (/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(id)) {
        out.push(
          v(path, `"${id}" is an Availability Zone name; names map to different zones in each account, so zones are pinned by ID.`, `Use the zone's AZ ID (aws ec2 describe-availability-zones --region ${spec.region} shows ZoneId), e.g. ${example}`),
        );
        return;
      }
      if (!prefix) return; // unknown Region: rule MWAA-AF-001 reports it
      const m = /^([a-z]+\d+)-az\d+$/.exec(id);
      if (!m) out.push(v(path, `"${id}" is not an AZ ID (like ${prefix}-az1).`, `Write AZ IDs of ${spec.region}, e.g. ${example}`));
      else if (m[1] !== prefix) out.push(v(path, `AZ ID ${id} is not in Region ${spec.region} (its zones are ${prefix}-az<N>).`, `Use AZ IDs of ${spec.region}, e.g. ${example}`));
    });
    return out;
  },
};
