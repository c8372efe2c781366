/**
 * Terraform `import` blocks for adopted environments: `environments/<name>.imports.json` maps a resource
 * address (`aws_mwaa_environment.environment`) to its import id; synthesis calls `applyImports` on each stack,
 * which marks the matching resources with CDKTF's `importFrom(id)` (emitted as `import` blocks in cdk.tf.json).
 * Written by `mwaa-gitops import`. Addresses that match no resource are reported, not ignored silently.
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

export function importsFile(repoRoot: string, envName: string): string {
  return path.join(repoRoot, 'environments', `${envName}.imports.json`);
}

export function readImports(file: string): Record<string, string> | undefined {
  if (!fs.existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const imports = (data as { imports?: unknown })?.imports;
  if (!imports || typeof imports !== 'object' || Array.isArray(imports) || Object.values(imports).some((v) => typeof v !== 'string')) {
    throw new Error(`${file}: expected {"imports": {"<resource address>": "<import id>", ...}}`);
  }
  return imports as Record<string, string>;
}

/** Terraform address of a resource construct in its stack (`<type>.<logical id>`). */
export function resourceAddress(stack: TerraformStack, r: TerraformResource): string {
  return `${r.terraformResourceType}.${stack.getLogicalId(r)}`;
}

/** Marks resources of `stack` listed in the environment's imports file; returns addresses that matched nothing. */
export function applyImports(stack: TerraformStack, repoRoot: string, envName: string): string[] {
  const imports = readImports(importsFile(repoRoot, envName));
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
