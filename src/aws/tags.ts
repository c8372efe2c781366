/**
 * Tags the tool itself puts on every resource (through the provider's default tags), in one place: the stack adds
 * them and rule MWAA-TAG-001 counts them against AWS's 50-tags-per-resource limit.
 */
import type { EnvironmentSpec } from '../spec/types';

export const MANAGED_BY_TAGS = { 'managed-by': 'mwaa-gitops' } as const;
export const ENVIRONMENT_TAG_KEY = 'mwaa-gitops:environment';

/** The tool's own tags for `spec` (none with `managedTags: false`). */
export function toolTags(spec: Pick<EnvironmentSpec, 'name' | 'managedTags'>): Record<string, string> {
  return spec.managedTags === false ? {} : { [ENVIRONMENT_TAG_KEY]: spec.name, ...MANAGED_BY_TAGS };
}

/** What every resource of the stack carries: the spec's tags plus the tool's (the tool's win on equal keys). */
export function effectiveTags(spec: Pick<EnvironmentSpec, 'name' | 'managedTags' | 'tags'>): Record<string, string> {
  return { ...spec.tags, ...toolTags(spec) };
}

/** Resources of a created network (VPC, subnets, route tables, NAT, endpoints, security groups) also carry this tag. */
export const NAME_TAG_KEY = 'Name';

/**
 * The most tags any one resource of the stack carries: the spec's, the tool's, and `Name` on the resources of a
 * created network (stacks/network.ts). AWS's per-resource limit applies to this count. (S3 objects take none of
 * them: stacks/bucket.ts.)
 */
export function mostTagsOnOneResource(spec: Pick<EnvironmentSpec, 'name' | 'managedTags' | 'tags' | 'network'>): { count: number; keys: string[] } {
  const keys = new Set(Object.keys(effectiveTags(spec)));
  if (spec.network.mode === 'create') keys.add(NAME_TAG_KEY);
  return { count: keys.size, keys: [...keys] };
}
