/**
 * Metadata of the findings the engine itself reports (YAML parse, overlays, schema, internal),
 * in the same shape as MWAA rule metadata, for SARIF rule descriptors and docs.
 */
import type { RuleMeta } from '../rules/types';

const YAML_SPEC = 'https://yaml.org/spec/1.2.2/';
const SCHEMA_DOC = 'https://json-schema.org/draft-07/json-schema-validation';

export const BUILTIN_RULES: RuleMeta[] = [
  { id: 'YAML-SYNTAX', severity: 'error', description: 'The file is not valid YAML 1.2, or uses YAML that has no JSON equivalent (a sequence or mapping as a key).', reference: YAML_SPEC },
  { id: 'YAML-DUPLICATE-KEY', severity: 'error', description: 'A key appears twice in the same mapping.', reference: YAML_SPEC },
  { id: 'YAML-ALIAS-LIMIT', severity: 'error', description: 'YAML aliases expand beyond the limit (alias bomb) or are undefined.', reference: YAML_SPEC },
  { id: 'SPEC-FILE-NOT-FOUND', severity: 'error', description: 'The environment file does not exist.', reference: 'README.md' },
  { id: 'SPEC-FILE-TOO-LARGE', severity: 'error', description: 'A spec file is larger than 1 MB.', reference: 'README.md' },
  { id: 'SPEC-BINARY', severity: 'error', description: 'A spec file contains NUL bytes (binary).', reference: 'README.md' },
  { id: 'SPEC-EMPTY', severity: 'error', description: 'A spec file is empty.', reference: 'README.md' },
  { id: 'SPEC-NOT-A-MAPPING', severity: 'error', description: 'A spec file is not a YAML mapping.', reference: 'README.md' },
  { id: 'SPEC-EXTENDS-MISSING', severity: 'error', description: 'An `extends` base file does not exist.', reference: 'README.md' },
  { id: 'SPEC-EXTENDS-CYCLE', severity: 'error', description: '`extends` files include each other in a cycle (or too deep a chain).', reference: 'README.md' },
  { id: 'SPEC-EXTENDS-OUTSIDE-REPO', severity: 'error', description: 'An `extends` base file lies outside the repository.', reference: 'README.md' },
  { id: 'SPEC-ARTIFACT-MISSING', severity: 'error', description: 'An artifact source (requirements, plugins, startup script) does not exist.', reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/working-dags-dependencies.html' },
  { id: 'SPEC-ARTIFACT-OUTSIDE-REPO', severity: 'error', description: 'An artifact source resolves (through `..` or a symlink) outside the repository.', reference: 'README.md' },
  { id: 'SPEC-IMPORTS-INVALID', severity: 'error', description: 'The imports file `environments/<name>.imports.json` is not valid JSON of the form {"imports": {"<address>": "<id>"}}.', reference: 'README.md' },
  { id: 'MWAA-INTERNAL', severity: 'error', description: 'A validation rule failed with an exception (a bug in mwaa-gitops).', reference: 'README.md' },
];

const SCHEMA_KEYWORDS: Record<string, string> = {
  additionalProperties: 'Unknown key (not in the spec format).',
  required: 'A required key is missing.',
  type: 'A value has the wrong type.',
  enum: 'A value is not one of the allowed values.',
  const: 'A value must be one exact constant.',
  pattern: 'A value does not have the expected format.',
};

/** Metadata for a `SCHEMA-<keyword>` id. */
export function schemaRuleMeta(id: string): RuleMeta {
  const kw = id.replace(/^SCHEMA-/, '');
  return { id, severity: 'error', description: SCHEMA_KEYWORDS[kw] ?? `JSON Schema \`${kw}\` constraint failed.`, reference: `${SCHEMA_DOC}` };
}
