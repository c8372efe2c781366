import type { SpecRule, Violation } from '../types';
import { configPath, v } from '../util';

export const SECRETS_MANAGER_BACKEND = 'airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend';
const BACKEND = 'secrets.backend';
const KWARGS = 'secrets.backend_kwargs';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-009',
    severity: 'error',
    description: 'secrets.backend / secrets.backend_kwargs agree with iam.secretsBackend (backend class, valid JSON, same prefixes); a backend without iam.secretsBackend leaves the role unable to read secrets.',
    // sources (developer notes): guide check 23; MWAA User Guide notes 11.1 (SecretsManagerBackend, backend_kwargs JSON, execution-role Secrets Manager read)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/connections-secrets-manager.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const cfg = spec.airflow.configuration;
    const sb = spec.iam.secretsBackend;
    const backend = cfg[BACKEND];
    const kwargsRaw = cfg[KWARGS];
    let kwargs: Record<string, unknown> | undefined;
    if (kwargsRaw !== undefined) {
      try {
        const parsed: unknown = JSON.parse(String(kwargsRaw));
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) kwargs = parsed as Record<string, unknown>;
        else out.push(v(configPath(KWARGS), `${KWARGS} must be a JSON object, got ${String(kwargsRaw)}.`, `Write ${KWARGS}: '{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables"}'.`));
      } catch {
        out.push(v(configPath(KWARGS), `${KWARGS} is not valid JSON: ${String(kwargsRaw)}.`, `Write ${KWARGS}: '{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables"}'.`));
      }
    }
    if (!sb) {
      // an existing execution role (iam.executionRoleArn) has its permissions managed elsewhere: nothing to compare
      if (backend !== undefined && !spec.iam.executionRoleArn) {
        out.push(
          v(
            configPath(BACKEND),
            `${BACKEND} is set but iam.secretsBackend is not, so the execution role gets no Secrets Manager read permission and every lookup fails.`,
            'Add iam.secretsBackend: { connectionsPrefix: airflow/connections, variablesPrefix: airflow/variables } and drop the secrets.* options (they are generated from it).',
          ),
        );
      }
      return out;
    }
    if (backend !== undefined && backend !== SECRETS_MANAGER_BACKEND) {
      out.push(
        v(configPath(BACKEND), `${BACKEND} is "${backend}" but iam.secretsBackend grants Secrets Manager access; the backend must be the Secrets Manager backend.`, `Set ${BACKEND}: ${SECRETS_MANAGER_BACKEND} (or remove it: it is generated from iam.secretsBackend).`),
      );
    }
    if (kwargs) {
      const pairs: Array<[string, string, string]> = [
        ['connections_prefix', sb.connectionsPrefix, 'iam.secretsBackend.connectionsPrefix'],
        ['variables_prefix', sb.variablesPrefix, 'iam.secretsBackend.variablesPrefix'],
      ];
      for (const [k, want, field] of pairs) {
        const got = kwargs[k];
        if (got !== undefined && got !== want) {
          out.push(
            v(configPath(KWARGS), `${KWARGS} ${k} is "${String(got)}" but ${field} is "${want}"; the execution role can only read secrets under "${want}".`, `Make them equal: set ${k} to "${want}" or change ${field}.`),
          );
        }
      }
    }
    return out;
  },
};
