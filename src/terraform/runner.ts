/**
 * Terraform (or OpenTofu) as a child process: no shell, arguments as an array, one working directory per stack.
 *
 * - init is skipped when the dependency lock file and the recorded provider requirements are current;
 * - plan/apply/destroy run with `-json` so progress (apply_start / apply_progress / apply_complete) can be streamed
 *   as one line per event, naming the environment, the resource and the elapsed time;
 * - failures become a TerraformError naming the environment and the command, keeping terraform's `Error:`
 *   diagnostics (summary, detail, resource address) and nothing else: no environment variables, no values.
 */
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { PlanJson } from '../plan/types';
import { PLAN_EVENT_TYPES, type UiEvent } from '../plan/stream';

export const DEFAULT_TERRAFORM_BIN = 'terraform';

/** Binary: explicit option, env `MWAA_GITOPS_TERRAFORM_BIN`, then `terraform` on PATH. */
export function resolveTerraformBin(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.MWAA_GITOPS_TERRAFORM_BIN ?? DEFAULT_TERRAFORM_BIN;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
}

export class TerraformError extends Error {
  constructor(
    readonly environment: string,
    readonly command: string,
    readonly diagnostics: Diagnostic[],
    readonly exitCode: number | null,
    message?: string,
  ) {
    super(message ?? formatFailure(environment, command, diagnostics, exitCode));
  }
}

export function formatFailure(environment: string, command: string, diagnostics: Diagnostic[], exitCode: number | null): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const head = `${environment}: terraform ${command} failed${exitCode === null ? '' : ` (exit ${exitCode})`}`;
  if (errors.length === 0) return head;
  const blocks = errors.map((d) => {
    const lines = [`  Error: ${d.summary}${d.address ? ` (${d.address})` : ''}`];
    if (d.detail) for (const l of d.detail.trim().split('\n')) lines.push(`    ${l}`);
    return lines.join('\n');
  });
  return `${head}:\n${blocks.join('\n')}`;
}

export interface ProgressEvent {
  environment: string;
  address: string;
  action: string;
  phase: 'start' | 'progress' | 'complete' | 'errored';
  elapsedSeconds: number;
  /** apply_complete: the resource's id (Terraform's `id_value`), when it has one. */
  id?: string;
}

export type ProgressSink = (event: ProgressEvent) => void;

export function formatProgress(e: ProgressEvent): string {
  const verb: Record<string, string> = { create: 'creating', update: 'updating', delete: 'destroying', replace: 'replacing', read: 'reading', noop: 'checking' };
  const doing = verb[e.action] ?? e.action;
  switch (e.phase) {
    case 'start':
      return `[${e.environment}] ${e.address}: ${doing}...`;
    case 'progress':
      return `[${e.environment}] ${e.address}: still ${doing} (${e.elapsedSeconds}s elapsed)`;
    case 'complete':
      return `[${e.environment}] ${e.address}: ${e.action === 'delete' ? 'destroyed' : 'done'} after ${e.elapsedSeconds}s`;
    case 'errored':
      return `[${e.environment}] ${e.address}: failed after ${e.elapsedSeconds}s`;
  }
}

export interface RunnerOptions {
  /** Environment name, used in every message. */
  environment: string;
  /** Directory holding the synthesized `cdk.tf.json`. */
  workingDir: string;
  /** terraform or tofu binary. */
  binary?: string;
  /** Extra environment for the child (from terraformEnv(): CLI config, automation flags). */
  env?: Record<string, string>;
  /** Per-command timeout in ms (default 60 minutes; MWAA creation takes 20-30 minutes in AWS). */
  timeoutMs?: number;
  progress?: ProgressSink;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  diagnostics: Diagnostic[];
}

export interface PlanOptions {
  out: string;
  refreshOnly?: boolean;
  destroy?: boolean;
  /** Extra environment for this command only (TF_REATTACH_PROVIDERS of a provider started for this plan). */
  env?: Record<string, string>;
}

export class TerraformRunner {
  readonly binary: string;
  private readonly timeoutMs: number;

  constructor(private readonly o: RunnerOptions) {
    this.binary = resolveTerraformBin(o.binary);
    this.timeoutMs = o.timeoutMs ?? 60 * 60 * 1000;
  }

  get environment(): string {
    return this.o.environment;
  }

  get workingDir(): string {
    return this.o.workingDir;
  }

  /** The environment terraform children get on top of this process's (CLI config, automation flags). */
  get childEnv(): Record<string, string> {
    return { ...(this.o.env ?? {}) };
  }

  /** `terraform init`, skipped when `.terraform.lock.hcl` exists and the provider requirements are unchanged. */
  async init(): Promise<{ skipped: boolean }> {
    const stamp = path.join(this.o.workingDir, '.terraform', 'mwaa-gitops-init.sha256');
    const digest = this.initDigest();
    const lock = path.join(this.o.workingDir, '.terraform.lock.hcl');
    if (fs.existsSync(lock) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest) return { skipped: true };
    await this.run('init', ['init', '-input=false', '-no-color'], { json: false });
    fs.mkdirSync(path.dirname(stamp), { recursive: true });
    fs.writeFileSync(stamp, digest);
    return { skipped: false };
  }

  /**
   * `terraform plan -out`; resolves with whether there are changes (-detailed-exitcode) and the plan events of its
   * machine-readable stream (planned_change, resource_drift, change_summary, outputs: src/plan/stream.ts).
   */
  async plan(p: PlanOptions): Promise<{ changes: boolean; events: UiEvent[] }> {
    const args = ['plan', '-input=false', '-json', '-detailed-exitcode', `-out=${p.out}`];
    if (p.refreshOnly) args.push('-refresh-only');
    if (p.destroy) args.push('-destroy');
    const events: UiEvent[] = [];
    const r = await this.run(p.refreshOnly ? 'plan -refresh-only' : p.destroy ? 'plan -destroy' : 'plan', args, { json: true, okCodes: [0, 2], events, env: p.env });
    return { changes: r.exitCode === 2, events };
  }

  /** `terraform show -json <planfile>`: the plan as data. */
  async showPlan(planFile: string, env?: Record<string, string>): Promise<PlanJson> {
    const r = await this.run('show', ['show', '-json', '-no-color', planFile], { json: false, quietStdout: true, env });
    try {
      return JSON.parse(r.stdout) as PlanJson;
    } catch {
      throw new TerraformError(this.o.environment, 'show', [], r.exitCode, `${this.o.environment}: terraform show -json did not return JSON`);
    }
  }

  /** `terraform apply <planfile>` with progress (`also` receives every event too: the apply journal). */
  async apply(planFile: string, also?: ProgressSink, env?: Record<string, string>): Promise<void> {
    await this.run('apply', ['apply', '-input=false', '-json', '-auto-approve', planFile], { json: true, also, env });
  }

  /** `terraform apply -refresh-only -auto-approve`: accept the real state into the state file. */
  async applyRefreshOnly(): Promise<void> {
    await this.run('apply -refresh-only', ['apply', '-input=false', '-json', '-refresh-only', '-auto-approve'], { json: true });
  }

  /** `terraform destroy -auto-approve` with progress (`also` receives every event too: the apply journal). */
  async destroy(also?: ProgressSink): Promise<void> {
    await this.run('destroy', ['destroy', '-input=false', '-json', '-auto-approve'], { json: true, also });
  }

  /** Raw `terraform <args>` (for the benchmark): output discarded, exit code returned. */
  async raw(args: string[], okCodes: number[] = [0]): Promise<RunResult> {
    return this.run(args[0], args, { json: args.includes('-json'), okCodes, quietStdout: true });
  }

  private initDigest(): string {
    const file = path.join(this.o.workingDir, 'cdk.tf.json');
    const h = crypto.createHash('sha256');
    h.update(this.binary);
    h.update(this.o.env?.TF_CLI_CONFIG_FILE ?? '');
    try {
      const cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as { terraform?: Record<string, unknown> };
      h.update(JSON.stringify(cfg.terraform ?? {}));
    } catch {
      h.update(String(Math.random()));
    }
    return h.digest('hex');
  }

  private run(
    command: string,
    args: string[],
    opts: { json: boolean; okCodes?: number[]; quietStdout?: boolean; also?: ProgressSink; events?: UiEvent[]; env?: Record<string, string> },
  ): Promise<RunResult> {
    const okCodes = opts.okCodes ?? [0];
    const env = this.o.environment;
    return new Promise<RunResult>((resolve, reject) => {
      if (interruptedBy) {
        reject(new TerraformError(env, command, [], null, `${env}: not started: interrupted (${interruptedBy})`));
        return;
      }
      let child: ChildProcess;
      try {
        child = spawn(this.binary, args, {
          cwd: this.o.workingDir,
          env: { ...process.env, ...(this.o.env ?? {}), ...(opts.env ?? {}) },
          stdio: ['ignore', 'pipe', 'pipe'],
          // a process group of its own: only this process signals terraform (see "interruption" below)
          detached: OWN_GROUP,
        });
      } catch (e) {
        reject(new TerraformError(env, command, [], null, `${env}: cannot run ${this.binary}: ${(e as Error).message}`));
        return;
      }
      const diagnostics: Diagnostic[] = [];
      const stdoutChunks: Buffer[] = [];
      let stderr = '';
      let pending = '';
      const onLine = (line: string) => {
        if (!line.trim()) return;
        let msg: UiMessage;
        try {
          msg = JSON.parse(line) as UiMessage;
        } catch {
          return;
        }
        if (opts.events && PLAN_EVENT_TYPES.has(msg.type ?? '')) opts.events.push(msg as UiEvent);
        if (msg.type === 'diagnostic' && msg.diagnostic) {
          diagnostics.push({
            severity: msg.diagnostic.severity === 'error' ? 'error' : 'warning',
            summary: msg.diagnostic.summary,
            detail: msg.diagnostic.detail,
            address: msg.diagnostic.address,
          });
        }
        const phase = PHASES[msg.type ?? ''];
        // Progress of managed resources only (data-source reads are instant and noise).
        if (phase && msg.hook?.resource && !/(^|\.)data\./.test(msg.hook.resource.addr)) {
          const event: ProgressEvent = {
            environment: env,
            address: msg.hook.resource.addr,
            action: msg.hook.action ?? '',
            phase,
            elapsedSeconds: Math.round(msg.hook.elapsed_seconds ?? 0),
            ...(phase === 'complete' && typeof msg.hook.id_value === 'string' ? { id: msg.hook.id_value } : {}),
          };
          opts.also?.(event);
          this.o.progress?.(event);
        }
      };
      child.stdout!.on('data', (b: Buffer) => {
        if (!opts.json || opts.quietStdout) stdoutChunks.push(b);
        if (!opts.json) return;
        pending += b.toString('utf8');
        let i: number;
        while ((i = pending.indexOf('\n')) >= 0) {
          onLine(pending.slice(0, i));
          pending = pending.slice(i + 1);
        }
      });
      child.stderr!.on('data', (b: Buffer) => {
        stderr = (stderr + b.toString('utf8')).slice(-20000);
      });
      track(child);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 10000).unref();
      }, this.timeoutMs);
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        untrack(child);
        const hint = e.code === 'ENOENT' ? ` (not found; set --terraform-bin or MWAA_GITOPS_TERRAFORM_BIN)` : '';
        reject(new TerraformError(env, command, [], null, `${env}: cannot run ${this.binary}${hint}: ${e.message}`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        untrack(child);
        if (pending) onLine(pending);
        const stdout = Buffer.concat(stdoutChunks).toString('utf8');
        if (interruptedBy) {
          reject(new TerraformError(env, command, diagnostics, code, `${env}: terraform ${command} interrupted (${interruptedBy}): terraform was stopped gracefully (it releases its lock and saves the state it has)`));
          return;
        }
        if (timedOut) {
          reject(new TerraformError(env, command, diagnostics, code, `${env}: terraform ${command} timed out after ${Math.round(this.timeoutMs / 1000)}s`));
          return;
        }
        const exitCode = code ?? 1;
        if (!okCodes.includes(exitCode)) {
          if (!opts.json || diagnostics.every((d) => d.severity !== 'error')) diagnostics.push(...parseErrorBlocks(opts.json ? stderr : `${stdout}\n${stderr}`));
          reject(new TerraformError(env, command, diagnostics, exitCode));
          return;
        }
        resolve({ exitCode, stdout, diagnostics });
      });
    });
  }
}

// ---- interruption: SIGINT/SIGTERM while terraform runs ----
// Terraform runs in a process group of its own, and this process is the only one that signals it. Interrupts reach
// the tool in many ways: a terminal's Ctrl-C goes to the whole foreground process group, GNU `timeout` sends its
// SIGTERM to the command and then to the command's whole group, Jenkins sends SIGTERM to the group, a GitHub Actions
// cancellation sends SIGINT and 7.5 s later SIGTERM to the step's entry process alone. In the tool's group, terraform
// got some of these itself and the tool's forwarded interrupt on top: two interrupts, which make Terraform exit at
// once ("Two interrupts received. Exiting immediately"), and an apply interrupted during a create then lost the
// resource from the state (measured on the emulators with SIGTERM to the group); with SIGINT to the tool alone it got
// none. So: the first SIGINT or SIGTERM is forwarded to terraform as one SIGINT, Terraform's graceful stop (it
// finishes the calls in flight, saves the state and releases the lock); nothing new starts, and the tool exits 1 once
// terraform is done, saying so. A signal within a second of the first is the same one delivered twice (timeout's
// copy for the group), not a second request. A later SIGINT is passed on (Terraform's own second interrupt: it exits
// at once); a later SIGTERM kills terraform at once and says so.

/** Terraform in a process group of its own (not on Windows, where `detached` means a console of its own). */
const OWN_GROUP = process.platform !== 'win32';
const running = new Set<ChildProcess>();
let interruptedBy: NodeJS.Signals | undefined;
let interruptedAt = 0;
let handlersInstalled = false;
/** A repeat of the first signal within this time is the same signal delivered twice. */
export const REPEATED_SIGNAL_MS = 1000;

function onSignal(signal: NodeJS.Signals): void {
  if (interruptedBy) {
    if (Date.now() - interruptedAt < REPEATED_SIGNAL_MS) return;
    if (signal === 'SIGINT') {
      for (const c of running) c.kill('SIGINT');
      return;
    }
    for (const c of running) c.kill('SIGKILL');
    process.stderr.write(
      'mwaa-gitops: a second SIGTERM: terraform was killed at once (SIGKILL), without saving its state or releasing its lock; ' +
        'the next run names what to restore or unlock.\n',
    );
    process.exit(1);
  }
  interruptedAt = Date.now();
  interruptedBy = signal;
  process.exitCode = 1;
  // in the tool's own group (Windows) a Ctrl-C has reached terraform already
  if (OWN_GROUP || signal === 'SIGTERM') for (const c of running) c.kill('SIGINT');
}

function track(child: ChildProcess): void {
  running.add(child);
  if (!handlersInstalled) {
    handlersInstalled = true;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}

function untrack(child: ChildProcess): void {
  running.delete(child);
  if (running.size === 0 && handlersInstalled) {
    handlersInstalled = false;
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    // interrupted: the run is over once the last child is gone (the caller reports the error); a signal between
    // terraform commands takes the default action (exit) again.
  }
}

/** The signal that interrupted this process's terraform runs, if any. */
export function interruption(): NodeJS.Signals | undefined {
  return interruptedBy;
}

const PHASES: Record<string, ProgressEvent['phase']> = {
  apply_start: 'start',
  apply_progress: 'progress',
  apply_complete: 'complete',
  apply_errored: 'errored',
};

interface UiMessage {
  type?: string;
  diagnostic?: { severity: string; summary: string; detail?: string; address?: string };
  hook?: { resource?: { addr: string }; action?: string; elapsed_seconds?: number; id_value?: string };
}

/** `Error: ...` blocks of terraform's human output (plain text, -no-color), each up to the next blank-line gap. */
export function parseErrorBlocks(text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = text.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^[│ ]*Error: (.*)$/.exec(lines[i]);
    if (!m) continue;
    const detail: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j].replace(/^[│╵╷ ]?\s?/, '');
      if (/^[│ ]*(Error|Warning): /.test(lines[j])) break;
      if (lines[j].startsWith('╵')) break;
      detail.push(l);
    }
    out.push({ severity: 'error', summary: m[1].trim(), detail: detail.join('\n').trim() || undefined });
    i = j - 1;
  }
  if (out.length === 0 && text.trim()) {
    const tail = text.trim().split('\n').slice(-5).join('\n');
    out.push({ severity: 'error', summary: tail });
  }
  return out;
}

// Plan JSON types live with the plan model (src/plan/types.ts).
export type { Action, PlanJson, ResourceChange } from '../plan/types';
