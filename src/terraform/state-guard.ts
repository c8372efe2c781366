/**
 * Local-backend state safety. Terraform's local backend creates the state file (empty) to lock it, removes it again
 * at unlock when nothing was written, and rewrites it in place (truncate + write) during apply. So a run killed at
 * the wrong moment leaves one of two very different things:
 * - an empty state file of an environment that never had resources (a first `plan` or `apply` killed before Terraform
 *   created anything): Terraform reads an empty file as "no state", which is the truth, so the run goes on;
 * - an empty or cut-off state file of an environment that had resources (an apply killed while Terraform wrote the
 *   state): Terraform would read "no state" and create everything again, so the run stops with the restore step.
 * What tells them apart is evidence that resources existed or were being created: the tool's apply journal
 * (`<state>.apply.json`, written before `terraform apply`/`destroy` starts and updated with every resource Terraform
 * starts and finishes; removed when the run ends), the tool's `<state>.last-good` copy and Terraform's
 * `<state>.backup`, when they hold resources, and a cut-off (non-empty) file, which only a state write leaves.
 * While an apply runs, every complete state Terraform writes is copied to `<state>.last-good` (temp file + rename).
 * The copies hold what the state holds (Terraform state is sensitive; keep .mwaa-gitops/ out of git).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ProgressEvent } from './runner';

/** The local state file of a synthesized stack directory, or undefined for other backends. */
export function localStateFile(stackDir: string): string | undefined {
  try {
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: { local?: { path?: string } } } };
    const p = tf.terraform?.backend?.local?.path;
    return p ? path.resolve(stackDir, p) : undefined;
  } catch {
    return undefined;
  }
}

export function lastGoodFile(stateFile: string): string {
  return `${stateFile}.last-good`;
}

export function journalFile(stateFile: string): string {
  return `${stateFile}.apply.json`;
}

interface StateDoc {
  version: number;
  resources?: Array<{ instances?: unknown[] }>;
}

function parse(text: string): StateDoc | undefined {
  try {
    const s = JSON.parse(text) as StateDoc;
    return typeof s === 'object' && s !== null && typeof s.version === 'number' ? s : undefined;
  } catch {
    return undefined;
  }
}

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Resources with at least one instance in a state copy (0 when absent or unreadable). Terraform also writes
 * resources without instances (declared, not created yet): those are not resources that exist. */
function resourcesIn(file: string): number {
  const text = read(file);
  const s = text === undefined ? undefined : parse(text);
  return (s?.resources ?? []).filter((r) => (r.instances?.length ?? 0) > 0).length;
}

export interface ApplyJournal {
  pid: number;
  host: string;
  command: 'apply' | 'destroy';
  started: string;
  /** Resources whose create/update/delete Terraform started. */
  begun: string[];
  /** Resources whose change Terraform finished. */
  finished: string[];
}

export function readJournal(stateFile: string): ApplyJournal | undefined {
  const text = read(journalFile(stateFile));
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as ApplyJournal;
  } catch {
    // cut off while being written: an apply was running, nothing more is known
    return { pid: 0, host: '', command: 'apply', started: '', begun: ['(unknown: the journal was cut off)'], finished: [] };
  }
}

function alive(j: ApplyJournal): boolean {
  if (!j.pid || j.pid === process.pid || j.host !== os.hostname()) return false;
  try {
    process.kill(j.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type StateStatus =
  /** No state file yet. */
  | 'absent'
  /** A complete state. */
  | 'complete'
  /** An empty file with no evidence of resources: an interrupted first run; Terraform reads it as no state. */
  | 'never-applied';

export interface StateCheck {
  status: StateStatus;
  /** Something worth telling the user (an interrupted run was detected and is harmless). */
  note?: string;
}

/**
 * Decides whether Terraform may run on this state. Throws (a message for people, with the restore step) when the
 * state is empty or cut off and resources existed or were being created, or when another apply is running.
 */
export function checkState(env: string, stateFile: string | undefined): StateCheck {
  if (!stateFile || !fs.existsSync(stateFile)) {
    clearStaleJournal(stateFile);
    return { status: 'absent' };
  }
  const text = read(stateFile) ?? '';
  if (parse(text)) {
    clearStaleJournal(stateFile);
    return { status: 'complete' };
  }
  const journal = readJournal(stateFile);
  if (journal && alive(journal)) {
    throw new Error(`the state is locked by another ${journal.command} of ${env} (pid ${journal.pid}, started ${journal.started}): wait for it to finish, then run again.`);
  }
  const good = lastGoodFile(stateFile);
  const backup = `${stateFile}.backup`;
  const goodCount = resourcesIn(good);
  const backupCount = resourcesIn(backup);
  const begun = journal?.begun ?? [];
  const what = text.length === 0 ? 'empty' : 'cut off (not valid JSON)';
  if (text.length === 0 && goodCount === 0 && backupCount === 0 && begun.length === 0) {
    if (journal) fs.rmSync(journalFile(stateFile), { force: true });
    return {
      status: 'never-applied',
      note: `${env}: the state file ${stateFile} is empty: an earlier run was interrupted before Terraform created anything (this environment never had resources), so it starts over.`,
    };
  }
  const restore = goodCount > 0 ? `cp ${good} ${stateFile}` : backupCount > 0 ? `cp ${backup} ${stateFile}` : undefined;
  const inFlight = begun.filter((a) => !(journal?.finished ?? []).includes(a));
  const lines = [
    `the Terraform state file ${stateFile} is ${what}: a run was killed while Terraform was writing it, and this environment had resources` +
      (begun.length ? ` (the interrupted ${journal?.command ?? 'apply'} had started: ${begun.slice(0, 8).join(', ')}${begun.length > 8 ? `, ... ${begun.length - 8} more` : ''})` : '') +
      '. Terraform would read it as "no state" and create everything again, so nothing was run.',
  ];
  if (restore) {
    lines.push(`Restore the last complete state (${restore}) and run again${inFlight.length ? `; resources that were in flight (${inFlight.join(', ')}) may exist in AWS without being in it: the next apply names them (adopt them with environments/${env}.imports.json)` : ''}.`);
  } else {
    lines.push(
      `No complete state was saved before the interruption: the resources Terraform had started (${begun.join(', ') || 'unknown'}) may exist in AWS without being in any state. ` +
        `Check them in AWS; delete them (or adopt them with environments/${env}.imports.json), then remove the empty state file (rm ${stateFile} ${journalFile(stateFile)}) and run again.`,
    );
  }
  throw new Error(lines.join(' '));
}

function clearStaleJournal(stateFile: string | undefined): void {
  if (!stateFile) return;
  const j = readJournal(stateFile);
  if (j && !alive(j)) fs.rmSync(journalFile(stateFile), { force: true });
}

/** Copies the state to `<state>.last-good` when it is complete. */
export function snapshotState(stateFile: string | undefined): void {
  if (!stateFile || !fs.existsSync(stateFile)) return;
  const text = read(stateFile);
  if (text === undefined || !parse(text)) return;
  const good = lastGoodFile(stateFile);
  try {
    if (read(good) === text) return;
    const tmp = `${good}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, good);
  } catch {
    /* best effort: a failed copy never fails the run */
  }
}

/** Snapshots the state every `intervalMs` until the returned function is called (which snapshots once more). */
export function watchState(stateFile: string | undefined, intervalMs = 500): () => void {
  if (!stateFile) return () => undefined;
  const timer = setInterval(() => snapshotState(stateFile), intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    snapshotState(stateFile);
  };
}

export interface Journal {
  /** Records a progress event of the running terraform apply/destroy. */
  record(e: ProgressEvent): void;
  /** The run ended (whatever the outcome): the journal is removed when the state is complete. */
  finish(): void;
}

/**
 * Starts the apply journal of a local-backend environment (no-op for other backends): written before Terraform
 * starts, so a kill at any later moment leaves evidence of what was being done.
 */
export function startJournal(stateFile: string | undefined, command: 'apply' | 'destroy'): Journal {
  if (!stateFile) return { record: () => undefined, finish: () => undefined };
  const file = journalFile(stateFile);
  const j: ApplyJournal = { pid: process.pid, host: os.hostname(), command, started: new Date().toISOString(), begun: [], finished: [] };
  const write = () => {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(j), { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch {
      /* best effort */
    }
  };
  write();
  return {
    record(e: ProgressEvent): void {
      if (e.phase === 'start' && !j.begun.includes(e.address)) {
        j.begun.push(e.address);
        write();
      } else if (e.phase === 'complete' && !j.finished.includes(e.address)) {
        j.finished.push(e.address);
        write();
      }
    },
    finish(): void {
      const text = read(stateFile);
      // a complete (or absent) state: nothing to recover; an empty/cut-off one keeps the evidence for the next run
      if (text === undefined || parse(text)) fs.rmSync(file, { force: true });
    },
  };
}
