/**
 * Terraform `import` blocks for adopted environments: `environments/<name>.imports.json` maps a resource
 * address (`aws_mwaa_environment.environment`) to its import id. The loader reads it with the spec
 * (src/spec/imports.ts, `spec.imports`); synthesis calls `applyImports` on each stack with that data,
 * which marks the matching resources with CDKTF's `importFrom(id)` (emitted as `import` blocks in cdk.tf.json).
 * Written by `mwaa-gitops import`. Addresses that match no resource are reported, not ignored silently.
 */
import { TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/** Terraform address of a resource construct in its stack (`<type>.<logical id>`). */
export function resourceAddress(stack: TerraformStack, r: TerraformResource): string {
  return `${r.terraformResourceType}.${stack.getLogicalId(r)}`;
}

/** Marks resources of `stack` listed in `imports` (the spec's `imports`, loaded from its imports file); returns addresses that matched nothing. */
export function applyImports(stack: TerraformStack, imports: Record<string, string> | undefined): string[] {
  if (!imports) return [];
  const seen = new Set<string>();
  for (const c of stack.node.findAll() as IConstruct[]) {
    if (!(c instanceof TerraformResource)) continue;
    const address = resourceAddress(stack, c);
    const id = imports[address];
    if (id === undefined) continue;
    c.importFrom(id);
    seen.add(address);
  }
  return Object.keys(imports).filter((a) => !seen.has(a));
}
