/**
 * The one place that decides what is a secret in the tool's output: findings (source lines and messages), `show`,
 * `diff`, plan and drift summaries, the PR comment and the plan JSON written for it. Pure functions; every renderer
 * uses these, and MASK is the only mask string any of them prints.
 *
 * Secrets are recognised by what they are, never by a word in an arbitrary key name:
 * - Airflow configuration options that are secrets by name: the options Airflow itself marks sensitive, and option
 *   names ending in password / secret / secret_key / token / ... (data/secret-names.json);
 * - IAM policy condition keys that are secrets by name (sts:ExternalId, keys ending in token / secret / ...);
 * - values that look like credentials: a URI with a password, a `password=` / `"password": ...` pair, an AWS access
 *   key id or a value shaped like an AWS secret access key, GitHub / Slack tokens, JWTs, PEM private keys.
 * Network topology, names, CIDRs, ARNs, IDs and S3 keys are never masked: reviewers must see them.
 * Terraform itself still receives the real values (cdk.tf.json, plan files, state): they must reach AWS.
 */
const names = require('../../data/secret-names.json') as {
  airflowOptions: string[];
  optionSuffixes: string[];
  conditionKeys: string[];
  conditionKeySuffixes: string[];
};

/** The only mask string the tool prints. */
export const MASK = '****';

const SECRET_OPTIONS = new Set(names.airflowOptions.map((o) => o.toLowerCase()));
const endsWithAny = (name: string, suffixes: string[]) => suffixes.some((s) => name === s || name.endsWith(`_${s}`) || name.endsWith(`-${s}`) || name.endsWith(s));

/** An Airflow configuration option (`section.option`) whose value is a secret. */
export function isSecretOption(option: string): boolean {
  const o = option.toLowerCase();
  if (SECRET_OPTIONS.has(o)) return true;
  const leaf = o.includes('.') ? o.slice(o.indexOf('.') + 1) : o;
  return endsWithAny(leaf, names.optionSuffixes);
}

/** An IAM policy condition key (`aws:PrincipalTag/api_token`, `sts:ExternalId`) whose value is a secret. */
export function isSecretConditionKey(key: string): boolean {
  if (names.conditionKeys.some((k) => k.toLowerCase() === key.toLowerCase())) return true;
  const leaf = key.toLowerCase().split(/[/:]/).pop() ?? '';
  return endsWithAny(leaf, names.conditionKeySuffixes);
}

/** A URI carrying a password: `postgresql://user:pw@host/db`, `https://bot:pw@example.com`. */
export const CREDENTIAL_URI = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

/** Credentials inside free text; each replacer keeps the non-secret part. */
const TEXT_PATTERNS: Array<[RegExp, (m: string, ...g: string[]) => string]> = [
  // scheme://user:PASSWORD@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@'"]*:)[^/\s@'"]+@/gi, (_m, pre: string) => `${pre}${MASK}@`],
  // PEM private keys
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, () => MASK],
  // "password": "x" / 'secret': 'x' inside JSON-ish text
  [/(["'](?:[a-z0-9_-]*(?:password|passwd|secret|token|api_?key|private_key))["']\s*:\s*)(["'])(?:(?!\2).)+\2/gi, (_m, pre: string, q: string) => `${pre}${q}${MASK}${q}`],
  // password=x / Password=x; in connection strings and query strings
  [/(\b(?:password|passwd|pwd|secret|token|api_?key)=)[^;&\s'"]+/gi, (_m, pre: string) => `${pre}${MASK}`],
  // AWS access key ids
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, () => MASK],
  // GitHub and Slack tokens
  [/\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,})\b/g, () => MASK],
  // JWTs
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, () => MASK],
  // Authorization: Bearer <token>
  [/(\bBearer\s+)[A-Za-z0-9._~+/-]{16,}=*/g, (_m, pre: string) => `${pre}${MASK}`],
];

/** A whole value shaped like an AWS secret access key (40 base64 characters, mixed case and digits). */
function isAwsSecretKeyShaped(v: string): boolean {
  return /^[A-Za-z0-9/+]{40}$/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v) && /[0-9]/.test(v) && !/^[0-9a-f]{40}$/i.test(v);
}

/** Credentials inside free text replaced by MASK (the rest of the text is kept). */
export function maskCredentials(text: string): string {
  let out = text;
  for (const [re, replace] of TEXT_PATTERNS) out = out.replace(re, replace as (m: string, ...g: string[]) => string);
  return out;
}

/** Whether a string value is, or contains, a credential. */
export function looksLikeCredential(v: string): boolean {
  return isAwsSecretKeyShaped(v.trim()) || maskCredentials(v) !== v;
}

/** Whether a value (or any string inside it) is or holds a credential. */
export function hasCredential(v: unknown): boolean {
  if (typeof v === 'string') return looksLikeCredential(v);
  if (Array.isArray(v)) return v.some(hasCredential);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasCredential);
  return false;
}

/** A string as shown: MASK when it is a credential as a whole, else with the credentials inside it masked. */
export function maskString(v: string): string {
  return isAwsSecretKeyShaped(v.trim()) ? MASK : maskCredentials(v);
}

/** The value of an Airflow configuration option as shown. */
export function maskOption(option: string, value: string): string {
  return isSecretOption(option) ? MASK : maskString(value);
}

/**
 * Whether the spec value at `path` (segments from the spec root: ['airflow', 'configuration', 'smtp.smtp_password'])
 * is a secret by what the field is: an Airflow option that is a secret by name, or the value of a secret condition
 * key in an IAM statement.
 */
export function isSecretSpecPath(path: ReadonlyArray<string | number>): boolean {
  if (path.length === 3 && path[0] === 'airflow' && path[1] === 'configuration') return isSecretOption(String(path[2]));
  const c = path.indexOf('Condition');
  if (c >= 0 && path[0] === 'iam' && path.length >= c + 3) return isSecretConditionKey(String(path[c + 2]));
  return false;
}

/** The spec value at `path` as shown: secrets by field masked whole, credentials inside any string masked. */
export function maskSpecValue(path: ReadonlyArray<string | number>, v: unknown): unknown {
  if (isSecretSpecPath(path)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return MASK;
    if (Array.isArray(v)) return v.map(() => MASK);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).map((k) => [k, MASK]));
    return v;
  }
  if (typeof v === 'string') return maskString(v);
  if (Array.isArray(v)) return v.map((x, i) => maskSpecValue([...path, i], x));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskSpecValue([...path, k], x)]));
  return v;
}

/** A whole spec (typed or resolved data) as shown by `show`: input untouched. */
export function maskSpec<T>(spec: T): T {
  return maskSpecValue([], spec) as T;
}

/**
 * A YAML source line as shown under a finding: the value of a `key: value` line is masked when the key is a secret
 * option or condition key; credentials are masked anywhere in the line.
 */
export function maskSourceLine(line: string): string {
  const m = /^(\s*(?:-\s+)?)(["']?)([^"':#\s][^"':#]*(?::[^"':#\s]+)*)\2(\s*:\s+)(\S.*)$/.exec(line);
  if (m) {
    const key = m[3].trim();
    if (isSecretOption(key) && key.includes('.')) return `${m[1]}${m[2]}${m[3]}${m[2]}${m[4]}${MASK}`;
    if (/[:/]/.test(key) && isSecretConditionKey(key)) return `${m[1]}${m[2]}${m[3]}${m[2]}${m[4]}${MASK}`;
    const value = m[5].replace(/^(["'])(.*)\1(\s*(#.*)?)$/, '$2');
    if (isAwsSecretKeyShaped(value)) return `${m[1]}${m[2]}${m[3]}${m[2]}${m[4]}${MASK}`;
  }
  return maskCredentials(line);
}
