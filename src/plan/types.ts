/**
 * `terraform show -json <planfile>` as data: the subset the plan model reads (JSON output format 1.x, as written by
 * Terraform 1.11). Types only.
 */

export type Action = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface ResourceChange {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  change: {
    actions: Action[];
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    after_unknown?: unknown;
    before_sensitive?: unknown;
    after_sensitive?: unknown;
    replace_paths?: Array<Array<string | number>>;
    /** Present when the change imports the object (an `import` block). */
    importing?: { id?: string } | null;
    /** Written by `plan --json-out` redaction: attribute paths whose secret value changed (the values are masked). */
    masked_changes?: string[];
  };
  action_reason?: string;
}

export interface OutputChange {
  actions: Action[];
}

export interface PlanJson {
  format_version: string;
  terraform_version?: string;
  resource_changes?: ResourceChange[];
  resource_drift?: ResourceChange[];
  output_changes?: Record<string, OutputChange>;
  configuration?: unknown;
  errored?: boolean;
  applyable?: boolean;
  complete?: boolean;
}

/** What `plan --json-out` writes instead of a plan when planning an environment failed (read by pr-comment). */
export interface PlanErrorDocument {
  mwaa_gitops_plan_error: {
    environment: string;
    /** The failure, secrets masked. */
    message: string;
  };
}

export function isPlanErrorDocument(v: unknown): v is PlanErrorDocument {
  const e = (v as PlanErrorDocument | null)?.mwaa_gitops_plan_error;
  return typeof e === 'object' && e !== null && typeof e.message === 'string';
}
