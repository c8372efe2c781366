/**
 * The rule registry: every MWAA rule module, listed once. The engine (src/spec/validate.ts) runs
 * SPEC_RULES on each environment that passed the schema, then CROSS_RULES across all of them.
 * Owned by the rules modules; the engine only reads these two arrays.
 */
import type { CrossRule, SpecRule } from './types';

export const SPEC_RULES: SpecRule[] = [];

export const CROSS_RULES: CrossRule[] = [];
