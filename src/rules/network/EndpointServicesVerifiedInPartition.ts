import { endpointServicesFor, requiredGatewayServices, requiredInterfaceServices, secretsManagerService } from '../../aws/endpoints';
import { endpointServiceName, maybePartitionOf } from '../../aws/partition';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';

/**
 * Every VPC endpoint the stack would create has a verified service name in the Region's partition
 * (data/partitions.json). Where a name is not verified (the China Regions: the Amazon MWAA, logs and kms endpoint
 * services), the spec is refused here rather than synthesized with a name that may not exist.
 */
export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-010',
    severity: 'error',
    description: "Each VPC endpoint the network creates has a verified service name in the Region's partition (data/partitions.json); e.g. private routing is refused in the China Regions.",
    // sources (developer notes): data/partitions.json (botocore endpoints, the provider's service-principal table, the AWS CDK interface-endpoint prefixes); MWAA User Guide notes 7.4
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-vpe-create-access.html',
  },
  check({ spec }) {
    const n = spec.network;
    if (n.mode !== 'create') return [];
    const partition = maybePartitionOf(spec.region);
    if (!partition) return []; // unknown Region: MWAA-AF-001
    const routingNeeds = new Set<string>();
    if (n.routing === 'private') {
      [...requiredGatewayServices(), ...requiredInterfaceServices()].forEach((s) => routingNeeds.add(s));
      if (spec.iam.secretsBackend) routingNeeds.add(secretsManagerService());
    }
    const services = endpointServicesFor(spec);
    const out: Violation[] = [];
    const unverified: string[] = [];
    let reason = '';
    for (const s of [...services.gateway, ...services.interface]) {
      const name = endpointServiceName(s, spec.region);
      if (name.verified) continue;
      if (routingNeeds.has(s)) {
        unverified.push(s);
        reason = name.reason ?? 'not verified';
      } else {
        const i = (n.extraEndpoints ?? []).indexOf(s);
        out.push(v(`network.extraEndpoints.${i}`, `No ${s} endpoint can be created in ${spec.region} (partition ${partition.id}): ${name.reason ?? 'its service name is not verified'}.`, `Remove ${s} from network.extraEndpoints.`));
      }
    }
    if (unverified.length) {
      out.push(
        v(
          'network.routing',
          `Private routing in ${spec.region} (partition ${partition.id}) needs VPC endpoints for ${unverified.join(', ')}, whose endpoint service names in this partition are not verified: ${reason}. Building them could fail at apply.`,
          'Use network.routing: public (NAT gateways), or network.mode: existing with a network whose VPC endpoints you manage.',
        ),
      );
    }
    return out;
  },
};
