/**
 * The VPC endpoints an environment's network creates, computed once from the typed spec: the network construct
 * (stacks/network.ts) creates exactly these and the cost estimate (src/gitops/cost.ts) prices exactly these.
 *
 * - `mode: existing`: none (the network is managed elsewhere).
 * - `routing: private`: the required endpoints of data/vpc-endpoints.json (S3 gateway + the interface endpoints of
 *   guide §7.4), plus Secrets Manager when `iam.secretsBackend` is set (the environment reads connections and
 *   variables there and has no other way out), plus `network.extraEndpoints`.
 * - `routing: public`: only `network.extraEndpoints` (NAT reaches everything else).
 */
import type { EnvironmentSpec } from '../spec/types';

const table = require('../../data/vpc-endpoints.json') as VpcEndpointsTable;

interface VpcEndpointsTable {
  source: string[];
  retrieved: string;
  gateway: string[];
  interface: string[];
  secretsManager: string;
  optional: string[];
}

export interface EndpointServices {
  /** Gateway endpoints (on the private route tables). */
  gateway: string[];
  /** Interface endpoints (private DNS, both private subnets, the environment security group). */
  interface: string[];
}

/** The interface endpoints private routing always needs (guide §7.4). */
export function requiredInterfaceServices(): readonly string[] {
  return table.interface;
}

export function requiredGatewayServices(): readonly string[] {
  return table.gateway;
}

/** Service names `network.extraEndpoints` accepts: every known interface endpoint service (not the S3 gateway). */
export function knownOptionalServices(): readonly string[] {
  return [...new Set([...table.interface, table.secretsManager, ...table.optional])].sort();
}

/** Every endpoint service the tool knows (required, Secrets Manager, optional). */
export function allKnownServices(): string[] {
  return [...new Set([...table.gateway, ...table.interface, table.secretsManager, ...table.optional])];
}

export function secretsManagerService(): string {
  return table.secretsManager;
}

/** The endpoint services `spec` needs, in a stable order (required first, then Secrets Manager, then extras). */
export function endpointServicesFor(spec: Pick<EnvironmentSpec, 'network' | 'iam'>): EndpointServices {
  const net = spec.network;
  if (net.mode !== 'create') return { gateway: [], interface: [] };
  const iface: string[] = [];
  const add = (s: string) => {
    if (!iface.includes(s)) iface.push(s);
  };
  const gateway: string[] = [];
  if (net.routing === 'private') {
    gateway.push(...table.gateway);
    table.interface.forEach(add);
    if (spec.iam.secretsBackend) add(table.secretsManager);
  }
  (net.extraEndpoints ?? []).forEach(add);
  return { gateway, interface: iface };
}
