/**
 * Validation benchmark (a script, not a test): `npm run build && node dist/bench/validate.js [--envs N] [--runs N]`.
 *
 * Generates N (default 100) varied environment specs in a temp repository (mixed classes, routing,
 * existing networks, KMS modes, artifacts, a shared `extends` base, configuration options), then
 * validates all of them in this one process, `--runs` times (default 5): schema + every MWAA rule +
 * cross-file rules. Prints min/median/max wall time of validateFiles and peak RSS. The first run
 * includes schema compilation and rule-table loading (cold); all runs are reported.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hasErrors } from '../src/findings';
import { discoverEnvironments, validateFiles } from '../src/spec/validate';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const CLASSES = ['mw1.small', 'mw1.medium', 'mw1.large', 'mw1.xlarge', 'mw1.2xlarge'];
const VERSIONS = ['2.10.3', '2.10.1', '2.9.2', '2.8.1', '2.7.2'];
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-southeast-2'];

function hex(n: number, len: number): string {
  return (n * 2654435761).toString(16).padStart(len, '0').slice(-len);
}

function spec(i: number): string {
  const name = `bench-env-${String(i).padStart(3, '0')}`;
  const region = REGIONS[i % REGIONS.length];
  const lines = [
    '# yaml-language-server: $schema=../schemas/environment.schema.json',
    'apiVersion: mwaa-gitops/v1',
    `name: ${name}`,
    'extends: ./_base.yaml',
    `region: ${region}`,
    `tags: { team: team-${i % 7}, stage: ${i % 2 ? 'dev' : 'prod'} }`,
    'airflow:',
    `  version: "${VERSIONS[i % VERSIONS.length]}"`,
    `  environmentClass: ${CLASSES[i % CLASSES.length]}`,
    `  schedulers: ${2 + (i % 3)}`,
    `  workers: { min: 1, max: ${2 + (i % 20)} }`,
    '  configuration:',
    `    core.default_task_retries: "${i % 4}"`,
    `    celery.worker_autoscale: "${5 * (1 + (i % 4))},1"`,
  ];
  const privateRouting = i % 3 === 1;
  lines.push(`  webserverAccess: ${privateRouting || i % 2 ? 'PRIVATE_ONLY' : 'PUBLIC_ONLY'}`);
  if (i % 3 === 2) {
    lines.push(
      'network:',
      '  mode: existing',
      `  vpcId: vpc-${hex(i, 17)}`,
      `  subnetIds: [subnet-${hex(i + 1, 17)}, subnet-${hex(i + 2, 17)}]`,
      `  securityGroupIds: [sg-${hex(i + 3, 17)}]`,
    );
  } else {
    const b = 10 + (i % 200);
    lines.push(
      'network:',
      '  mode: create',
      `  routing: ${privateRouting ? 'private' : 'public'}`,
      `  vpcCidr: 10.${b}.0.0/16`,
      ...(privateRouting ? [] : [`  publicSubnets: [10.${b}.10.0/24, 10.${b}.11.0/24]`]),
      `  privateSubnets: [10.${b}.20.0/24, 10.${b}.21.0/24]`,
    );
  }
  lines.push('bucket:', '  requirements: { source: airflow/requirements.txt }');
  if (i % 4 === 0) {
    lines.push('  plugins: { source: airflow/plugins.zip }');
    lines.splice(lines.indexOf('  configuration:') + 1, 0, '    core.lazy_load_plugins: "False"');
  }
  const kms = i % 3 === 0 ? 'aws-owned' : i % 3 === 1 ? 'create' : 'existing';
  lines.push('encryption:', `  kms: ${kms}`);
  if (kms === 'existing') lines.push(`  keyArn: arn:aws:kms:${region}:111122223333:key/1234abcd-12ab-34cd-56ef-${hex(i, 12)}`);
  lines.push('iam:', '  webAccess: { Admin: [arn:aws:iam::111122223333:role/admins] }');
  return `${lines.join('\n')}\n`;
}

function main(): void {
  const envs = arg('--envs', 100);
  const runs = arg('--runs', 5);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-bench-validate-'));
  fs.mkdirSync(path.join(root, 'environments'));
  fs.mkdirSync(path.join(root, 'airflow'));
  fs.writeFileSync(path.join(root, 'airflow', 'requirements.txt'), '--constraint "https://raw.githubusercontent.com/apache/airflow/constraints-2.10.3/constraints-3.11.txt"\nboto3\n');
  fs.writeFileSync(path.join(root, 'airflow', 'plugins.zip'), Buffer.from('504b0506000000000000000000000000000000000000', 'hex'));
  fs.writeFileSync(path.join(root, 'environments', '_base.yaml'), 'tags: { managed-by: mwaa-gitops }\nairflow:\n  maintenanceWindow: "SUN:03:00"\n  logging: { task: { level: INFO }, retentionDays: 30 }\n');
  for (let i = 0; i < envs; i++) fs.writeFileSync(path.join(root, 'environments', `bench-env-${String(i).padStart(3, '0')}.yaml`), spec(i));

  const files = discoverEnvironments(root);
  const times: number[] = [];
  let report = validateFiles([], { repoRoot: root });
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    report = validateFiles(files, { repoRoot: root });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const byRule = new Map<string, number>();
  for (const f of report.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`validate ${files.length} specs in one process, ${runs} runs (first run cold: schema compile + rule tables)`);
  console.log(`  runs (ms):   ${times.map((t) => t.toFixed(1)).join(', ')}`);
  console.log(`  min/median/max: ${sorted[0].toFixed(1)} / ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} / ${sorted[sorted.length - 1].toFixed(1)} ms`);
  console.log(`  peak RSS:    ${rssMb.toFixed(1)} MB`);
  console.log(`  findings:    ${report.findings.length} (${[...byRule].map(([k, v]) => `${k} x${v}`).join(', ') || 'none'}); invalid: ${hasErrors(report.findings)}`);
  fs.rmSync(root, { recursive: true, force: true });
}

main();
