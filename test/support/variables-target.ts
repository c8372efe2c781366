/**
 * The emulators' target for tests that run terraform themselves on a synthesized or hand-written stack: the provider
 * arguments without the `endpoints` block, and the endpoints as `AWS_ENDPOINT_URL_<SERVICE>` variables for the
 * terraform children, as the CLI's own workflow does (`endpointsAsVariables`, src/synth.ts). hashicorp/aws 5.100.0
 * spends ~3 CPU-s validating any provider configuration with an `endpoints` block, twice per plan.
 */
import * as fs from 'fs';
import * as path from 'path';
import { endpointsAsVariables } from '../../src/synth';
import type { Emulators } from '../../src/sandbox/emulators';

export interface VariablesTarget {
  /** Provider arguments without `endpoints`. */
  provider: Record<string, unknown>;
  /** AWS_ENDPOINT_URL_<SERVICE> for the terraform children. */
  env: Record<string, string>;
}

export function variablesTarget(em: Pick<Emulators, 'target'>): VariablesTarget {
  const { provider, env } = endpointsAsVariables(em.target as unknown as Record<string, unknown>);
  if (!provider || provider.endpoints !== undefined || Object.keys(env).length === 0) throw new Error('the emulator target has an endpoint the provider has no variable for');
  return { provider, env };
}

/** Writes the target file (provider arguments without `endpoints`, plus `s3_backend`) for `synth --provider-args`. */
export function writeVariablesTarget(em: Pick<Emulators, 'target' | 's3Backend'>, file: string): VariablesTarget & { file: string } {
  const t = variablesTarget(em);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...t.provider, s3_backend: em.s3Backend }, null, 2)}\n`);
  return { ...t, file };
}
