/**
 * The reconcile pipeline shared by plan / apply / drift / destroy:
 * specs (validated) -> synthesized stacks -> terraform init -> plan -json -out (one provider process, attached:
 * src/terraform/provider-session.ts) -> the plan from its event stream (src/plan/stream.ts), or `show -json` of the
 * saved plan where values are needed -> the plan model (src/plan/).
 * Environments run with bounded parallelism; a failure in one environment is reported with its name and does not
 * stop the others.
 */
import { checkState, localStateFile, snapshotState } from './state-guard';
import * as fs from 'fs';
import * as path from 'path';
import type { EnvironmentSpec } from '../spec/types';
import { formatText } from '../report/findings-text';
import { maskCredentials } from '../report/mask';
import { buildPlanModel, errorPlan, hasChanges, type EnvironmentPlan, type PlanMode } from '../plan/model';
import type { PlanJson } from '../plan/types';
import { defaultOutDir, endpointsAsVariables, loadTarget, loadValidSpecs, splitTarget, synthesize } from '../synth';
import type { JournalWriter } from './s3-journal';
import { resolveProviderMirror, terraformEnv } from './cliconfig';
import { formatProgress, TerraformError, TerraformRunner } from './runner';
import { startProvider } from './provider-session';
import { acquireRunLock, type HeldLock } from './run-lock';
import { planFromEvents } from '../plan/stream';

/**
 * The S3-state modules (and the AWS SDK's S3 client under them, about 0.1 s of CPU to load) are loaded only for an
 * environment whose state is in S3: a plan of a local-state environment never needs them.
 */
const stateS3 = () => require('./state-s3') as typeof import('./state-s3');
const s3Journal = () => require('./s3-journal') as typeof import('./s3-journal');

export interface WorkflowOptions {
  repo: string;
  target?: string;
  terraformBin?: string;
  providerMirror?: string;
  parallel?: number;
  /** Per terraform command, ms. */
  timeoutMs?: number;
  /** Progress lines (stderr by default). */
  progress?: (line: string) => void;
  /** What the run does (plan, apply, drift, destroy, unlock): recorded in the run lock for a second run to name. */
  operation?: string;
}

export interface Prepared {
  ok: boolean;
  /** Validation output when not ok. */
  message?: string;
  envs: EnvContext[];
  /** Releases the environments' run locks (src/terraform/run-lock.ts); call it when the run's terraform work is done. */
  release?: () => void;
}

export interface EnvContext {
  spec: EnvironmentSpec;
  dir: string;
  runner: TerraformRunner;
  planFile: string;
  /** Notes for people (stderr): e.g. an interrupted first run found and cleared. */
  notify: (line: string) => void;
  /** The target's S3 backend arguments (test/emulator targets only), for the tool's own reads of S3 state. */
  s3Backend?: Record<string, unknown>;
  /** The target's provider arguments (test/emulator targets only), for the tool's own AWS reads. */
  providerTarget?: Record<string, unknown>;
  /**
   * Set when another run holds this environment's run lock: the message (who holds it). The environment was not
   * synthesized, and nothing may run terraform in its directory; it is an error of this run.
   */
  locked?: string;
}

export function plansDir(repoRoot: string): string {
  return path.join(repoRoot, '.mwaa-gitops', 'plans');
}

/**
 * Validates the targets, takes each environment's run lock (src/terraform/run-lock.ts), synthesizes the stacks of the
 * environments it holds and builds one runner per environment. An environment another run holds is not synthesized:
 * its context carries `locked` (the holder), which the commands report as that environment's error.
 */
export function prepare(targets: string[], o: WorkflowOptions): Prepared {
  const repoRoot = path.resolve(o.repo);
  const loaded = loadValidSpecs(repoRoot, targets);
  if (!loaded.ok) {
    const text = formatText(loaded.report, { repoRoot, strict: false, color: false });
    // no environments: the summary line of the validation text says so (NO_ENVIRONMENTS)
    return { ok: false, message: text, envs: [] };
  }
  const target = loadTarget(o.target);
  const { s3Backend, provider: providerTarget } = splitTarget(target);
  // a test target's endpoints reach terraform and the provider as variables, not as an `endpoints` block (see endpointsAsVariables)
  const moved = endpointsAsVariables(target);
  const progress = o.progress ?? ((l: string) => process.stderr.write(`${l}\n`));
  const locks: HeldLock[] = [];
  const lockedBy = new Map<string, string>();
  for (const spec of loaded.specs) {
    const r = acquireRunLock(repoRoot, spec.name, o.operation ?? 'run');
    if (!r.ok) {
      lockedBy.set(spec.name, r.message);
      continue;
    }
    locks.push(r.lock);
    if (r.note) progress(r.note);
  }
  const release = () => locks.forEach((l) => l.release());
  try {
    const free = loaded.specs.filter((s) => !lockedBy.has(s.name));
    const results = free.length ? synthesize(free, { repoRoot, providerOverrides: moved.provider }) : [];
    const env = { ...terraformEnv({ workDir: path.join(repoRoot, '.mwaa-gitops'), providerMirror: resolveProviderMirror(o.providerMirror) }), ...moved.env };
    fs.mkdirSync(plansDir(repoRoot), { recursive: true });
    const envs = loaded.specs.map((spec) => {
      const locked = lockedBy.get(spec.name);
      const r = results.find((x) => x.env === spec.name);
      if (!r && !locked) throw new Error(`${spec.name}: no synthesized stack`);
      const dir = r?.dir ?? path.join(defaultOutDir(repoRoot), 'stacks', spec.name);
      return {
        spec,
        dir,
        planFile: path.join(plansDir(repoRoot), `${spec.name}.tfplan`),
        notify: (line: string) => progress(line),
        s3Backend,
        providerTarget,
        locked,
        runner: new TerraformRunner({
          environment: spec.name,
          workingDir: dir,
          binary: o.terraformBin,
          env,
          timeoutMs: o.timeoutMs,
          progress: (e) => progress(formatProgress(e)),
        }),
      };
    });
    return { ok: true, envs, release };
  } catch (e) {
    release();
    throw e;
  }
}

/** Runs `fn` over items with at most `limit` in flight, keeping order of results. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}

export interface PlannedEnv {
  ctx: EnvContext;
  model: EnvironmentPlan;
  /**
   * The plan as data (unredacted: redact before writing it anywhere): `terraform show -json` of the saved plan when
   * `source` is 'show'; built from the plan's event stream (no attribute values) when 'stream'.
   */
  plan?: PlanJson;
  /** Where `plan` came from: 'none' = no changes (nothing to read). */
  source?: 'stream' | 'show' | 'none';
  /** Anything to do (refresh-only: real drift found). */
  changes: boolean;
}

const EMPTY_PLAN: PlanJson = { format_version: '1.2', resource_changes: [], resource_drift: [] };

export interface PlanEnvOptions {
  /** The full `show -json` of the saved plan is needed (`plan --json-out`), not only what the model shows. */
  fullPlan?: boolean;
}

/** Reads the synthesized stack (for the stream plan's create values); undefined when unreadable. */
function readStack(dir: string): Parameters<typeof planFromEvents>[1] {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) as Parameters<typeof planFromEvents>[1];
  } catch {
    return undefined;
  }
}

/**
 * The state guard, then init + plan -json -out (+ show -json where values are needed) + the model for one
 * environment; errors become the model's. The plan and the show run against one provider process when it can be
 * started (src/terraform/provider-session.ts).
 */
export async function planEnv(ctx: EnvContext, mode: PlanMode = 'plan', o: PlanEnvOptions = {}): Promise<PlannedEnv> {
  const env = ctx.spec.name;
  const isProtected = ctx.spec.protection.preventDestroy;
  if (ctx.locked) return { ctx, model: errorPlan(env, isProtected, ctx.locked, mode), changes: false };
  try {
    const stateFile = localStateFile(ctx.dir);
    const check = checkState(env, stateFile);
    if (check.note) ctx.notify(`note: ${check.note}`);
    snapshotState(stateFile);
    if (mode === 'plan') await adoptInterrupted(ctx);
    await ctx.runner.init();
    const provider = await startProvider(ctx.dir, ctx.runner.childEnv);
    let plan: PlanJson = EMPTY_PLAN;
    let source: PlannedEnv['source'] = 'none';
    let changes: boolean;
    try {
      const planned = await ctx.runner.plan({ out: ctx.planFile, refreshOnly: mode === 'refresh-only', destroy: mode === 'destroy', env: provider?.env });
      changes = planned.changes;
      // -detailed-exitcode 0: nothing to show. Otherwise the event stream, unless values are needed.
      if (changes) {
        const fromStream = o.fullPlan ? undefined : planFromEvents(planned.events, readStack(ctx.dir), mode);
        if (fromStream && 'plan' in fromStream) {
          plan = fromStream.plan;
          source = 'stream';
        } else {
          plan = await ctx.runner.showPlan(ctx.planFile, provider?.env);
          source = 'show';
        }
      }
    } finally {
      await provider?.stop();
    }
    const model = buildPlanModel({ environment: env, protected: isProtected, plan, mode });
    const warning = await stateVersioningWarning(ctx);
    if (warning) {
      ctx.notify(warning);
      model.warnings = [...(model.warnings ?? []), warning.replace(/^warning: /, '')];
    }
    return { ctx, model, plan, source, changes: mode === 'refresh-only' ? model.drift.length > 0 : hasChanges(model) };
  } catch (e) {
    return { ctx, model: errorPlan(env, isProtected, errorMessage(env, e), mode), changes: false };
  }
}

/**
 * S3 state: warns when the state bucket's versioning is not Enabled (no rollback of a damaged state). Silent when the
 * plan role may not read it (access denied) or the check fails otherwise (terraform init reports a missing bucket).
 */
export async function stateVersioningWarning(ctx: Pick<EnvContext, 'spec' | 's3Backend'>): Promise<string | undefined> {
  const state = ctx.spec.state;
  if (state.backend !== 's3') return undefined;
  try {
    const { bucketVersioning, stateS3Client, versioningWarning } = stateS3();
    const status = await bucketVersioning(stateS3Client(state, ctx.s3Backend), state.bucket);
    return versioningWarning(ctx.spec.name, state.bucket, status);
  } catch {
    return undefined;
  }
}

/**
 * S3 state: resources an interrupted apply created but Terraform had not yet recorded (src/terraform/s3-journal.ts)
 * get import blocks in the synthesized configuration, so the plan adopts them instead of creating them twice.
 */
export async function adoptInterrupted(ctx: EnvContext): Promise<void> {
  const state = ctx.spec.state;
  if (state.backend !== 's3') return;
  const { readLock, stateS3Client } = stateS3();
  const { addImportBlocks, adoptionOf, compositeInFlight, journalKey, mwaaInFlight, readS3Journal, readTfJson, recordedIds } = s3Journal();
  const client = stateS3Client(state, ctx.s3Backend);
  const journal = await readS3Journal(client, state);
  if (!journal) return;
  // A run holds the lock (perhaps the one writing this journal): terraform reports the lock; nothing to adopt yet.
  if (await readLock(client, state)) return;
  const recorded = await recordedIds(client, state);
  const tf = readTfJson(ctx.dir);
  // the AWS clients, built once and only when something in flight has to be looked up
  let clients: ReturnType<typeof import('../gitops/import').makeClients> | undefined;
  const awsClients = async () => {
    if (!clients) {
      const { makeClients } = await import('../gitops/import');
      clients = makeClients(ctx.spec.region, ctx.providerTarget as Parameters<typeof makeClients>[1]);
    }
    return clients;
  };
  const existing = new Set<string>();
  const inFlight = mwaaInFlight(journal, recorded, tf);
  if (inFlight.length) {
    const { GetEnvironmentCommand } = await import('@aws-sdk/client-mwaa');
    const { mwaa } = await awsClients();
    for (const name of inFlight) {
      try {
        await mwaa.send(new GetEnvironmentCommand({ Name: name }));
        existing.add(name);
      } catch (e) {
        if ((e as { name?: string }).name !== 'ResourceNotFoundException') throw e;
      }
    }
  }
  const composite = compositeInFlight(journal, recorded, tf);
  const compositeExisting: Record<string, string> = {};
  if (Object.keys(composite).length) {
    const all = await awsClients();
    for (const [address, importId] of Object.entries(composite)) {
      if (await compositeExists(all, address.split('.')[0], importId)) compositeExisting[address] = importId;
    }
  }
  const { imports, unresolved } = adoptionOf(journal, recorded, tf, existing, compositeExisting);
  const n = Object.keys(imports).length;
  if (n) {
    addImportBlocks(ctx.dir, imports);
    ctx.notify(
      `note: ${ctx.spec.name}: an earlier apply was interrupted after creating ${n} resource(s) that Terraform had not yet recorded in the state ` +
        `(journal s3://${state.bucket}/${journalKey(state)}); the plan imports them instead of creating them again: ${Object.keys(imports).join(', ')}`,
    );
  }
  if (unresolved.length) ctx.notify(`warning: ${ctx.spec.name}: created by an interrupted apply, not in the state, import id unknown: ${unresolved.join(', ')}`);
}

/**
 * Whether a resource of a composite-id type (src/terraform/s3-journal.ts COMPOSITE_ID_TYPES) exists, from its import
 * id. Any error reading it counts as "not found": the plan then creates it, and AWS names a duplicate if there is one.
 */
export async function compositeExists(clients: ReturnType<typeof import('../gitops/import').makeClients>, type: string, importId: string): Promise<boolean> {
  try {
    switch (type) {
      case 'aws_route':
      case 'aws_route_table_association': {
        const { DescribeRouteTablesCommand } = await import('@aws-sdk/client-ec2');
        // aws_route: `<rtb>_<destination>`; aws_route_table_association: `<subnet or gateway>/<rtb>`
        const [rtbId, other] = type === 'aws_route' ? splitOnce(importId, '_') : splitOnce(importId, '/').reverse();
        const r = await clients.ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtbId] }));
        const table = r.RouteTables?.[0];
        if (type === 'aws_route') return (table?.Routes ?? []).some((x) => [x.DestinationCidrBlock, x.DestinationIpv6CidrBlock, x.DestinationPrefixListId].includes(other));
        return (table?.Associations ?? []).some((x) => x.SubnetId === other || x.GatewayId === other);
      }
      case 'aws_iam_role_policy_attachment': {
        const { ListAttachedRolePoliciesCommand } = await import('@aws-sdk/client-iam');
        const [role, arn] = splitOnce(importId, '/');
        const r = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role, MaxItems: 1000 }));
        return (r.AttachedPolicies ?? []).some((p) => p.PolicyArn === arn);
      }
      case 'aws_s3_object': {
        const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
        const [bucket, key] = splitOnce(importId, '/');
        await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      }
      default:
        return false;
    }
  } catch {
    return false;
  }
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** A failure as people read it: the environment named, credentials masked. */
export function errorMessage(env: string, e: unknown): string {
  return maskCredentials(e instanceof TerraformError ? e.message : `${env}: ${(e as Error).message}`);
}

/**
 * Exit code of plan-like commands, Terraform's convention: 1 when any environment failed; else 2 with
 * `detailed` (`--detailed-exitcode`; drift always) when anything is to be done; else 0.
 */
export function exitCodeOf(planned: Array<Pick<PlannedEnv, 'model' | 'changes'>>, detailed = false): number {
  if (planned.some((p) => p.model.error)) return 1;
  return detailed && planned.some((p) => p.changes) ? 2 : 0;
}

export function parseParallel(v: string | undefined): number {
  const n = Number(v ?? '1');
  if (!Number.isInteger(n) || n < 1) throw new Error(`--parallel must be a positive integer, got ${v}`);
  return n;
}

/** The S3 apply journal of an environment with S3 state (src/terraform/s3-journal.ts); undefined for local state. */
export async function startS3JournalOf(ctx: EnvContext): Promise<JournalWriter | undefined> {
  const state = ctx.spec.state;
  if (state.backend !== 's3') return undefined;
  return s3Journal().startS3Journal(stateS3().stateS3Client(state, ctx.s3Backend), state);
}
