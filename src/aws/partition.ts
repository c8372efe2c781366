/**
 * AWS partitions: the one module that turns a Region into ARN partition, DNS suffix, service principals and VPC
 * endpoint service names, from data/partitions.json and data/regions.json. Rules, stacks (stacks/policies.ts,
 * stacks/network.ts) and the cost estimate use it; nothing guesses a partition from a Region's prefix.
 */
const partitionsTable = require('../../data/partitions.json') as PartitionsTable;
const regionsTable = require('../../data/regions.json') as RegionsTable;

export interface VpcEndpointNaming {
  prefix: string;
  prefixExceptions: Record<string, string>;
  /** true: every service name is verified; a list: only those services. */
  verified: true | string[];
  unverifiedReason?: string;
}

export interface PartitionInfo {
  /** Partition id, also the ARN partition (`aws`, `aws-cn`). */
  id: string;
  name: string;
  dnsSuffix: string;
  servicePrincipalSuffix: string;
  servicePrincipalSuffixExceptions: Record<string, string>;
  vpcEndpointServices: VpcEndpointNaming;
}

interface PartitionsTable {
  source: string[];
  retrieved: string;
  partitions: Record<string, Omit<PartitionInfo, 'id'>>;
}

export interface RegionEntry {
  region: string;
  partition: string;
  name: string;
  /** Prefix of the Region's AZ IDs (`use1` for us-east-1: use1-az1, use1-az2, ...). */
  azIdPrefix: string;
}

interface RegionsTable {
  source: string[];
  retrieved: string;
  regions: RegionEntry[];
}

export function regionEntry(region: string): RegionEntry | undefined {
  return regionsTable.regions.find((r) => r.region === region);
}

export function regionEntries(): readonly RegionEntry[] {
  return regionsTable.regions;
}

export function partitionById(id: string): PartitionInfo | undefined {
  const p = partitionsTable.partitions[id];
  return p ? { id, ...p } : undefined;
}

/**
 * The partition of an accepted Region. Throws for a Region that is not in data/regions.json: callers run after
 * validation (rule MWAA-AF-001 refuses unknown Regions), so building for an unknown Region is a bug, not a guess.
 */
export function partitionOf(region: string): PartitionInfo {
  const r = regionEntry(region);
  if (!r) throw new Error(`internal: Region ${region} is not in data/regions.json (validation should have refused it)`);
  const p = partitionById(r.partition);
  if (!p) throw new Error(`internal: partition ${r.partition} of Region ${region} is not in data/partitions.json`);
  return p;
}

/** Partition of a Region, or undefined when the Region is unknown (for rules, which must not throw). */
export function maybePartitionOf(region: string): PartitionInfo | undefined {
  const r = regionEntry(region);
  return r ? partitionById(r.partition) : undefined;
}

/** ARN partition of a Region (`aws`, `aws-cn`). */
export function arnPartition(region: string): string {
  return partitionOf(region).id;
}

/*
 * The functions below take the partition and the Region *text* separately: stacks pass a literal placeholder for
 * the Region (stacks/literal.ts) and the partition looked up from the real Region; rules pass the Region itself.
 */

/** Service endpoint host (`sqs.us-east-1.amazonaws.com`), as `kms:ViaService` expects it. */
export function serviceHostIn(p: PartitionInfo, service: string, regionText: string): string {
  return `${service}.${regionText}.${p.dnsSuffix}`;
}

/** Global service principal (`airflow.amazonaws.com`; in aws-cn `<service>.amazonaws.com` too, except a few). */
export function servicePrincipalIn(p: PartitionInfo, service: string): string {
  return `${service}.${p.servicePrincipalSuffixExceptions[service] ?? p.servicePrincipalSuffix}`;
}

/** Region-scoped service principal (`logs.us-east-1.amazonaws.com`, `logs.cn-north-1.amazonaws.com.cn`). */
export function regionalServicePrincipalIn(p: PartitionInfo, service: string, regionText: string): string {
  return `${service}.${regionText}.${p.servicePrincipalSuffixExceptions[service] ?? p.servicePrincipalSuffix}`;
}

export interface EndpointServiceName {
  /** The VPC endpoint service name (`com.amazonaws.us-east-1.sqs`, `cn.com.amazonaws.cn-north-1.ecr.api`). */
  name: string;
  /** Whether data/partitions.json verifies that name in this partition. */
  verified: boolean;
  /** Why it is not verified (when not). */
  reason?: string;
}

/** The VPC endpoint service name of `service` (e.g. `ecr.api`) in the partition, for the Region text given. */
export function endpointServiceNameIn(p: PartitionInfo, service: string, regionText: string): EndpointServiceName {
  const v = p.vpcEndpointServices;
  const prefix = v.prefixExceptions[service] ?? v.prefix;
  const verified = v.verified === true || v.verified.includes(service);
  return { name: `${prefix}.${regionText}.${service}`, verified, reason: verified ? undefined : v.unverifiedReason };
}

/** {@link endpointServiceNameIn} for a real Region. */
export function endpointServiceName(service: string, region: string): EndpointServiceName {
  return endpointServiceNameIn(partitionOf(region), service, region);
}

/** Sources of data/partitions.json (for documentation). */
export function partitionSources(): readonly string[] {
  return partitionsTable.source;
}
