/**
 * One place that decides what is a secret in the tool's own output (findings, show, diff, plan summaries,
 * PR comments, drift reports). Pure functions; every renderer uses these.
 *
 * A value is secret when
 * - its name (Airflow configuration option, policy condition key, spec field) looks secret (SECRET_KEY), or
 * - it contains a URI with credentials (`scheme://user:password@host`): only the password part is masked when
 *   the value is shown inside a larger text, the whole value otherwise.
 * Terraform itself still receives the real values (cdk.tf.json, plan files, state): they must reach AWS.
 */

export const MASK = '****';

/** Names whose values are secret: `smtp.smtp_password`, `core.fernet_key`, `mycompany.db_conn`, `api_token` ... */
export const SECRET_KEY = /password|passwd|passphrase|secret|token|credential|private|key$|_key|apikey|conn|pass$|_pass/i;

/** A URI carrying a password: `postgresql://user:pw@host/db`, `https://bot:pw@example.com`. */
export const CREDENTIAL_URI = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;
const CREDENTIAL_URI_ANYWHERE = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@'"]*:)[^/\s@'"]+@/gi;

/** Whether a name (last path segment, option name, condition key) looks secret. */
export function isSecretName(name: string): boolean {
  return SECRET_KEY.test(name);
}

/** Whether a value (or any string inside it) holds a URI with credentials. */
export function hasCredential(v: unknown): boolean {
  if (typeof v === 'string') return CREDENTIAL_URI.test(v.trim()) || new RegExp(CREDENTIAL_URI_ANYWHERE.source, 'i').test(v);
  if (Array.isArray(v)) return v.some(hasCredential);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasCredential);
  return false;
}

/** The passwords of credential URIs inside free text replaced by MASK. */
export function maskCredentials(text: string): string {
  return text.replace(CREDENTIAL_URI_ANYWHERE, `$1${MASK}@`);
}

/** Spec fields whose names look secret but are not (object keys, ARNs of keys, secrets-backend prefixes). */
const NOT_SECRET_FIELD = /^(key|keyArn|kmsKeyArn|secretsBackend|connectionsPrefix|variablesPrefix|permissionsBoundaryArn)$/;

/**
 * A YAML source line as shown under a finding: the value of a `key: value` line is masked when the key looks
 * secret; credential URIs are masked anywhere in the line.
 */
export function maskSourceLine(line: string): string {
  const m = /^(\s*(?:-\s+)?)(["']?)([^"':#]+(?::[^"':#\s]+)*)\2(\s*:\s+)(\S.*)$/.exec(line);
  if (m && isSecretName(m[3].trim()) && !NOT_SECRET_FIELD.test(m[3].trim())) return `${m[1]}${m[2]}${m[3]}${m[2]}${m[4]}${MASK}`;
  return maskCredentials(line);
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * A spec (typed or resolved document data) with secret values masked: configuration options with a secret
 * name or a credential value, policy condition values under a secret-looking condition key, and credential URIs
 * anywhere.
 */
export function maskSpec<T>(spec: T): T {
  const out = clone(spec) as unknown;
  const walk = (v: unknown, key: string, inConfig: boolean, inCondition: boolean): unknown => {
    if (typeof v === 'string') {
      if ((inConfig || inCondition) && isSecretName(key)) return MASK;
      if (inConfig && hasCredential(v)) return MASK;
      return maskCredentials(v);
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key, inConfig, inCondition));
    if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        o[k] = walk(o[k], k, key === 'configuration' || inConfig, key === 'Condition' || inCondition);
      }
      return o;
    }
    return v;
  };
  return walk(out, '', false, false) as T;
}

/**
 * A value shown whole (an array or object compared as one, e.g. `iam.extraPolicyStatements`) with every nested
 * string under a secret-looking key masked, and credential URIs masked anywhere.
 */
export function maskNested(v: unknown, key = ''): unknown {
  if (typeof v === 'string') return key !== '' && isSecretName(key) && !NOT_SECRET_FIELD.test(key) ? MASK : maskCredentials(v);
  if (Array.isArray(v)) return v.map((x) => maskNested(x, key));
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = maskNested(x, k);
    return out;
  }
  return v;
}
