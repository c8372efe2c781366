/** Spec texts for the GitOps tests (valid against the real schema and rules). */
import { TempRepo } from './git-repo';

export function envYaml(name: string, opts: { max?: number; extendsDefaults?: boolean; requirements?: string; config?: Record<string, string>; cls?: string; network?: string } = {}): string {
  const lines = ['apiVersion: mwaa-gitops/v1'];
  if (opts.extendsDefaults) lines.push('extends: ./_defaults.yaml');
  lines.push(`name: ${name}`, 'region: us-east-1', 'airflow:', '  version: "2.10.3"', `  environmentClass: ${opts.cls ?? 'mw1.small'}`, `  workers: { min: 1, max: ${opts.max ?? 5} }`);
  if (opts.config) {
    lines.push('  configuration:');
    for (const [k, v] of Object.entries(opts.config)) lines.push(`    ${k}: ${JSON.stringify(v)}`);
  }
  if (opts.requirements) lines.push('bucket:', '  requirements:', `    source: ${opts.requirements}`);
  if (opts.network) lines.push(opts.network);
  return `${lines.join('\n')}\n`;
}

export const DEFAULTS_YAML = 'tags:\n  owner: platform\n';

/**
 * main: dev (extends _defaults), prod (uploads airflow/requirements.txt), stage, old.
 * Returns the repository on branch main with one commit.
 */
export function seedRepo(): TempRepo {
  const repo = new TempRepo();
  repo
    .write('environments/_defaults.yaml', DEFAULTS_YAML)
    .write('environments/dev.yaml', envYaml('dev', { extendsDefaults: true, config: { 'core.default_task_retries': '3', 'smtp.smtp_password': 'hunter2' } }))
    .write('environments/prod.yaml', envYaml('prod', { requirements: 'airflow/requirements.txt', max: 10 }))
    .write('environments/stage.yaml', envYaml('stage'))
    .write('environments/old.yaml', envYaml('old'))
    .write('airflow/requirements.txt', 'apache-airflow-providers-amazon\n')
    .write('dags/hello.py', 'print("hi")\n')
    .write('README.md', 'repo\n');
  repo.commit('initial environments');
  return repo;
}
