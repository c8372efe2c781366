import { knownOptionalServices, requiredInterfaceServices, secretsManagerService } from '../../aws/endpoints';
import type { SpecRule, Violation } from '../types';
import { closest, v } from '../util';

/**
 * `network.extraEndpoints`: each entry is a known interface endpoint service (data/vpc-endpoints.json `optional`),
 * listed once. One that private routing creates anyway is a warning (it is created once).
 */
export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-009',
    severity: 'error',
    description: 'network.extraEndpoints lists known interface VPC endpoint services (data/vpc-endpoints.json), each once.',
    // sources: AWS PrivateLink Guide, AWS services that integrate with AWS PrivateLink (data/vpc-endpoints.json)
    reference: 'https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html',
  },
  check({ spec }) {
    const n = spec.network;
    if (n.mode !== 'create' || !n.extraEndpoints) return [];
    const known = knownOptionalServices();
    const required = new Set<string>(requiredInterfaceServices());
    if (spec.iam.secretsBackend) required.add(secretsManagerService());
    const out: Violation[] = [];
    n.extraEndpoints.forEach((s, i) => {
      const path = `network.extraEndpoints.${i}`;
      if (n.extraEndpoints!.indexOf(s) !== i) {
        out.push(v(path, `Endpoint service ${s} is listed twice.`, 'Remove the duplicate.'));
        return;
      }
      if (n.routing === 'private' && required.has(s)) {
        out.push(v(path, `Private routing creates the ${s} endpoint already.`, `Remove ${s} from network.extraEndpoints.`, { severity: 'warning' }));
        return;
      }
      if (!known.includes(s)) {
        const lower = s.toLowerCase().replace(/^com\.amazonaws\.[a-z0-9-]+\./, '');
        const near = known.includes(lower) ? lower : closest(lower, known);
        out.push(
          v(
            path,
            `"${s}" is not a VPC endpoint service mwaa-gitops knows.`,
            near ? `Did you mean ${near}? Known: ${known.join(', ')}.` : `Use one of: ${known.join(', ')} (service names without the com.amazonaws.<region>. prefix).`,
          ),
        );
      }
    });
    return out;
  },
};
