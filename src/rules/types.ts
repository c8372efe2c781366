import type { Finding, Severity } from '../findings';
import type { EnvironmentSpec, ResolvedDocument } from '../spec/types';

/**
 * Rule metadata, ESLint style. One rule per file under src/rules/<concern>/<WhatItChecks>.ts,
 * listed in src/rules/index.ts.
 */
export interface RuleMeta {
  /**
   * `MWAA-<AREA>-<NNN>`: AREA one of NAME, AF (airflow), CFG (configuration), LOG, NET, S3, KMS, IAM, TAG, ART,
   * REQ (requirements.txt), PLG (plugins.zip), STS (startup script), X (cross-file).
   */
  id: string;
  /** Default severity of the rule's findings. */
  severity: Severity;
  /** What the rule checks, one line (used in docs and SARIF rule descriptors). */
  description: string;
  /** Where the requirement comes from. */
  reference: string;
}

/** One problem a rule found; the engine turns it into a located Finding. */
export interface Violation {
  /** Dotted key path of the offending value (`airflow.workers.max`); positions come from it. */
  path: string;
  message: string;
  fix: string;
  /** Overrides the rule's default severity (e.g. deprecated version = warning). */
  severity?: Severity;
  /** Point at the key instead of the value. */
  atKey?: boolean;
  /**
   * An artifact violation's own location (requirements.txt line, startup script line, plugins.zip): the finding
   * points there instead of at `path` in the spec. `path` still names the spec key that brings the artifact in.
   */
  at?: { file: string; line: number; column: number };
}

export interface RuleContext {
  /** The typed resolved spec (schema has passed). */
  spec: EnvironmentSpec;
  doc: ResolvedDocument;
  /** Today's date (injectable for version lifecycle rules). */
  today: Date;
}

/** A rule on a single environment: a pure function from the spec to violations. */
export interface SpecRule {
  meta: RuleMeta;
  check(ctx: RuleContext): Violation[];
}

/** A rule across all environments of a repository (unique names, bucket names). */
export interface CrossRule {
  meta: RuleMeta;
  check(ctxs: readonly RuleContext[]): Array<Violation & { env: RuleContext }>;
}

export type { Finding };
