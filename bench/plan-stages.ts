/**
 * The profile of one `mwaa-gitops plan <env>` (a script the benchmark runs as a cold child process, like the CLI):
 * where the tool spends its time, stage by stage, on the same code path as the CLI (src/terraform/workflow.ts):
 *
 *   node start-up   process start -> this script running (V8, Node bootstrap)
 *   modules         loading the plan command's modules (commander, validation, CDKTF, provider bindings, AWS SDK)
 *   validate+synth  prepare(): specs loaded and validated, the stack synthesized to cdk.tf.json
 *   init check      runner.init() (skipped when the lock file and provider requirements are current)
 *   provider start  the provider process started in debug mode (src/terraform/provider-session.ts)
 *   terraform plan  `terraform plan -json -out` against that provider (the refresh and the plan walk)
 *   show -json      only when the plan has changes the event stream cannot describe (or --full)
 *   provider stop   SIGINT to the provider, waiting for it to exit
 *   model           the plan model and its text rendering
 *
 *   node dist/bench/plan-stages.js <repo> <env> [provider-args.json] [--refresh-only]
 *
 * Prints one JSON object: { stagesMs: { ... }, totalMs, nodeCpuMs, changes, reattached }. `totalMs` is measured from the process start
 * (performance.timeOrigin), so it includes Node's own start-up; the caller's wall time adds process creation and exit.
 */
const started = performance.now();
const t0 = performance.now();
import * as path from 'path';
import { planFromEvents } from '../src/plan/stream';
import { buildPlanModel } from '../src/plan/model';
import { renderPlan } from '../src/report/plan-render';
import { prepare } from '../src/terraform/workflow';
import { startProvider } from '../src/terraform/provider-session';
import { checkState, localStateFile, snapshotState } from '../src/terraform/state-guard';
const loaded = performance.now();

async function main(): Promise<void> {
  const [repo, envName, target] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const refreshOnly = process.argv.includes('--refresh-only');
  const stages: Record<string, number> = { 'node start-up': started, modules: loaded - t0 };
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    stages[name] = (stages[name] ?? 0) + (now - t);
    t = now;
  };
  const prepared = prepare([envName], { repo: path.resolve(repo), target, progress: () => undefined });
  if (!prepared.ok) throw new Error(prepared.message);
  const ctx = prepared.envs[0];
  lap('validate+synth');
  const stateFile = localStateFile(ctx.dir);
  checkState(envName, stateFile);
  snapshotState(stateFile);
  await ctx.runner.init();
  lap('init check');
  const provider = await startProvider(ctx.dir, ctx.runner.childEnv);
  lap('provider start');
  const planned = await ctx.runner.plan({ out: ctx.planFile, refreshOnly, env: provider?.env });
  lap('terraform plan');
  let plan = { format_version: '1.2', resource_changes: [], resource_drift: [] } as Parameters<typeof buildPlanModel>[0]['plan'];
  if (planned.changes) {
    const s = process.argv.includes('--full') ? undefined : planFromEvents(planned.events, undefined, refreshOnly ? 'refresh-only' : 'plan');
    plan = s && 'plan' in s ? s.plan : await ctx.runner.showPlan(ctx.planFile, provider?.env);
    lap('show -json');
  }
  await provider?.stop();
  lap('provider stop');
  renderPlan([buildPlanModel({ environment: envName, protected: false, plan, mode: refreshOnly ? 'refresh-only' : 'plan' })], 'text');
  lap('model');
  const cpu = process.cpuUsage();
  // nodeCpuMs: this process alone (start-up, modules, validation, synthesis, stream parsing, model); the caller's
  // GNU time gives the whole tree, terraform and the provider included.
  process.stdout.write(`${JSON.stringify({ stagesMs: stages, totalMs: performance.now(), nodeCpuMs: (cpu.user + cpu.system) / 1000, changes: planned.changes, reattached: Boolean(provider) })}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`plan-stages: ${e.message}\n`);
  process.exitCode = 1;
});
