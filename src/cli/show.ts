/**
 * `mwaa-gitops show <env>`: the resolved spec (extends merged, defaults applied) as YAML.
 * Exit 1 with the findings when the spec is invalid.
 */
import * as path from 'path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { hasErrors } from '../findings';
import { formatText } from '../report/findings-text';
import { maskSpec } from '../report/mask';
import { resolveTargets, validateFiles } from '../engine/validate';
import { ARTIFACT_FIELDS } from '../spec/types';
import { writeResult, type CommandResult } from './result';

export interface ShowArgs {
  repo: string;
  /** Environment name or spec file. */
  target: string;
  color?: boolean;
}

export function run(args: ShowArgs): CommandResult {
  const repoRoot = path.resolve(args.repo);
  const files = resolveTargets(repoRoot, [args.target]);
  const report = validateFiles(files, { repoRoot });
  const env = report.environments[0];
  if (!env || !env.spec || hasErrors(report.findings)) {
    return { exitCode: 1, stdout: '', stderr: formatText(report, { repoRoot, strict: false, color: args.color }) };
  }
  // secret-looking configuration values, secret condition values and credential URIs are masked (src/report/mask.ts)
  const shown = maskSpec(env.spec) as unknown as Record<string, unknown>;
  const bucket = shown.bucket as Record<string, Record<string, unknown>> | undefined;
  // resolvedPath is machine-specific; show the repository-relative source only
  for (const f of ARTIFACT_FIELDS) if (bucket?.[f]) delete bucket[f].resolvedPath;
  // pinned artifacts are shown as written ({ key, versionId } under the artifact's own field)
  if (bucket?.pinned) {
    for (const [f, p] of Object.entries(bucket.pinned)) bucket[f] = p as Record<string, unknown>;
    delete bucket.pinned;
  }
  // `imports` (Terraform import blocks) comes from the imports file, loaded with the spec
  const sources = [...(env.doc?.files ?? []), ...(env.spec.imports && env.doc?.importsFile ? [env.doc.importsFile] : [])];
  const header = `# resolved spec of ${path.relative(repoRoot, env.file)} (merged from: ${sources.map((f) => path.relative(repoRoot, f)).join(', ')})\n`;
  const warnings = report.findings.length > 0 ? formatText(report, { repoRoot, strict: false, color: args.color }) : '';
  return { exitCode: 0, stdout: header + stringify(shown, { lineWidth: 0 }), stderr: warnings };
}

export function register(program: Command): void {
  program
    .command('show')
    .description('print the resolved spec of one environment (extends merged, defaults applied) as YAML')
    .argument('<env>', 'environment name or spec file')
    .action((target: string, _opts: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals() as { repo: string };
      writeResult(run({ repo: o.repo, target, color: process.stderr.isTTY === true && !process.env.NO_COLOR }));
    });
}
