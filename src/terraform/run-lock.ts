/**
 * The run lock: one run of the tool at a time per environment and working copy.
 *
 * Two runs of one environment in one repository share its working directory (`cdktf.out/stacks/<env>`: the
 * synthesized `cdk.tf.json`, `.terraform/` written by `terraform init`) and its saved plan
 * (`.mwaa-gitops/plans/<env>.tfplan`). Terraform's state lock is taken only inside `plan` and `apply`, too late for
 * the rest: measured on the emulators, the second of two applies started together failed in `terraform init`
 * ("Failed to load state: invalid syntax: unexpected end of JSON input": it read what the first one's init was
 * writing), and one run's plan file can be overwritten by the other's before it is applied. So before it synthesizes
 * anything, a run takes `.mwaa-gitops/locks/<env>.lock` (created with O_EXCL: exactly one creator wins) and holds it
 * until its terraform work for that environment is done. A second run stops at once (exit 1) and names the holder,
 * as Terraform does with its own lock (no `-lock-timeout`).
 *
 * A run killed with SIGKILL cannot remove its lock file. The file records the holder's pid and host: a lock of a
 * process on this host that no longer exists is stale and is taken over, with a note. Terraform's state lock stays
 * the authority over the state itself (it also covers runs on other machines, which this file cannot see).
 *
 * A pid alone can lie: after a restart, or once the kernel has handed the killed run's pid to another process, a
 * stale lock would look held until removed by hand. So where Linux tells them (`/proc`), the file also records the
 * kernel's boot id and the holder's start time (field 22 of `/proc/<pid>/stat`, clock ticks since boot): a lock
 * from an earlier boot, or whose pid now belongs to a process started at another time, is stale too. Elsewhere (no
 * `/proc`: macOS, Windows) and for lock files without them, the pid decides, as before.
 *
 * A hand-written O_EXCL file rather than a lock library: proper-lockfile, the common one, decides staleness by age
 * (a holder refreshes the file's mtime; 10 s without a refresh is stale), so a killed run would block the next one
 * for those seconds, and a run stalled longer (a paused laptop) would lose its lock. The holder's pid answers at once.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface LockHolder {
  pid: number;
  host: string;
  /** What the holder runs: plan, apply, drift, destroy, unlock. */
  operation: string;
  /** ISO time it took the lock. */
  since: string;
  /** The kernel's boot id when it took the lock (Linux: /proc/sys/kernel/random/boot_id). */
  boot?: string;
  /** The holder's start time, clock ticks since boot (Linux: /proc/<pid>/stat field 22): with the pid, one process. */
  start?: string;
}

export interface HeldLock {
  env: string;
  file: string;
  release(): void;
}

export type LockResult = { ok: true; lock: HeldLock; note?: string } | { ok: false; message: string };

/** Injected for tests: whether a process of this host exists. */
export interface LockDeps {
  alive?: (pid: number) => boolean;
  now?: () => Date;
  host?: string;
  pid?: number;
  /** Runs between reading a stale lock and taking it over: a test makes another run take it over there. */
  beforeTakeover?: () => void;
  /** A process's start time (see {@link LockHolder.start}); undefined when unknown or gone. */
  startOf?: (pid: number) => string | undefined;
  /** This boot's id; undefined when unknown. */
  boot?: string;
}

export function locksDir(repoRoot: string): string {
  return path.join(repoRoot, '.mwaa-gitops', 'locks');
}

export function lockFile(repoRoot: string, env: string): string {
  return path.join(locksDir(repoRoot), `${env}.lock`);
}

/** `kill(pid, 0)`: ESRCH = no such process; EPERM = it exists (another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The fields of `/proc/<pid>/stat` from field 3 (the state) on, so field N is at index N - 3; undefined without
 * `/proc` or the process. Field 2, the command in parentheses, may itself hold spaces and parentheses: the fields
 * are counted from its last ')'.
 */
export function procStat(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** `/proc/<pid>/stat` field 22, the start time in clock ticks since boot; undefined without `/proc` or the process. */
export function processStart(pid: number): string | undefined {
  const start = procStat(pid)?.[19];
  return /^\d+$/.test(start ?? '') ? start : undefined;
}

let bootId: string | undefined | null = null;
/** The kernel's boot id (it changes at every boot); undefined without `/proc`. */
export function currentBoot(): string | undefined {
  if (bootId === null) {
    try {
      bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      bootId = undefined;
    }
  }
  return bootId;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string') {
      const holder: LockHolder = { pid: h.pid, host: h.host, operation: String(h.operation ?? 'run'), since: String(h.since ?? '') };
      if (typeof h.boot === 'string') holder.boot = h.boot;
      if (typeof h.start === 'string') holder.start = h.start;
      return holder;
    }
  } catch {
    // gone meanwhile, or not yet written by its creator (created, content not yet written): treated as held
  }
  return undefined;
}

function age(since: string, now: Date): string {
  const t = Date.parse(since);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now.getTime() - t) / 1000));
  return s < 60 ? ` (${s}s ago)` : ` (${Math.floor(s / 60)}m ${s % 60}s ago)`;
}

function describe(h: LockHolder, now: Date): string {
  return `${h.operation}, pid ${h.pid} on ${h.host}, since ${h.since}${age(h.since, now)}`;
}

const sameHolder = (a: LockHolder, b: LockHolder) => a.pid === b.pid && a.host === b.host && a.since === b.since;

/**
 * Why the lock of `h` is stale, seen from `me`; undefined while its holder may still run. Only a holder of this host
 * can be judged: another host's pid means nothing here.
 */
function staleBecause(h: LockHolder, me: LockHolder, alive: (pid: number) => boolean, startOf: (pid: number) => string | undefined): string | undefined {
  if (h.host !== me.host) return undefined;
  if (h.boot && me.boot && h.boot !== me.boot) return 'the machine has restarted since';
  if (h.pid === me.pid) {
    // this very process holds it (start times equal or unknown), or an earlier process had the same pid
    return h.start && me.start && h.start !== me.start ? `its pid ${h.pid} now belongs to this run` : undefined;
  }
  if (!alive(h.pid)) return 'killed before it could release it';
  if (h.start) {
    const now = startOf(h.pid);
    if (now !== undefined && now !== h.start) return `its pid ${h.pid} now belongs to another process`;
  }
  return undefined;
}

/**
 * Removes the stale lock `seen`, and only it. Another run may have taken it over between our read and now (and
 * written its own lock): a plain unlink would remove that live lock. So the file is first renamed aside (atomic: one
 * file, whoever holds it now), then read: the stale one is deleted; a live one is linked back into place (link fails,
 * leaving the newer one, if yet another run has created a lock meanwhile) and this run retries, finding it held.
 * True when the stale lock was removed by this run.
 */
function takeOver(file: string, seen: LockHolder, me: LockHolder): boolean {
  const aside = `${file}.${me.pid}.${Date.now()}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false; // gone already: retry the create
    throw e;
  }
  const moved = readHolder(aside);
  if (moved && sameHolder(moved, seen)) {
    fs.rmSync(aside, { force: true });
    return true;
  }
  try {
    fs.linkSync(aside, file);
  } catch {
    // another run created a lock meanwhile: it stays; the retry finds it held
  }
  fs.rmSync(aside, { force: true });
  return false;
}

/**
 * Releases every lock this process still holds when it exits (a run ended by a second signal, say), and when a
 * SIGINT or SIGTERM arrives between terraform commands (Ctrl-C during synth, a CI cancellation's SIGTERM):
 * Node's default action ends the process without its exit handlers, so the lock would stay behind and the next run
 * would take it over with a note about a killed run. While terraform runs, the runner's own handler is there too
 * (src/terraform/runner.ts: it lets terraform stop gracefully), and this one stands aside.
 */
const held = new Set<string>();
let exitHook = false;
const releaseHeld = () => {
  for (const f of held) fs.rmSync(f, { force: true });
  held.clear();
};
const ENDING_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']; // the two the runner handles while terraform runs
function onEndingSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return; // another handler (the runner's) decides what this signal does
  releaseHeld();
  for (const s of ENDING_SIGNALS) process.removeListener(s, onEndingSignal);
  process.kill(process.pid, signal); // the default action again: the process ends by this signal, as it would have
}
function hookExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', releaseHeld);
  for (const s of ENDING_SIGNALS) process.on(s, onEndingSignal);
}

/**
 * Takes the environment's run lock, or says who holds it. Never waits: a held lock is an error for this run, as
 * Terraform's state lock is without `-lock-timeout`.
 */
export function acquireRunLock(repoRoot: string, env: string, operation: string, deps: LockDeps = {}): LockResult {
  const file = lockFile(repoRoot, env);
  const now = deps.now ?? (() => new Date());
  const startOf = deps.startOf ?? processStart;
  const me: LockHolder = { pid: deps.pid ?? process.pid, host: deps.host ?? os.hostname(), operation, since: now().toISOString() };
  const boot = 'boot' in deps ? deps.boot : currentBoot();
  const start = startOf(me.pid);
  if (boot) me.boot = boot;
  if (start) me.start = start;
  const alive = deps.alive ?? processAlive;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let note: string | undefined;
  // Two tries: the second after a stale lock was removed.
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(file);
      const why = holder && staleBecause(holder, me, alive, startOf);
      if (holder && why && attempt === 0) {
        deps.beforeTakeover?.();
        if (takeOver(file, holder, me)) note = `note: ${env}: removed the run lock of a run that is gone (${describe(holder, now())}; ${why}): ${path.relative(repoRoot, file)}`;
        continue;
      }
      const who = holder ? describe(holder, now()) : 'holder not readable';
      return {
        ok: false,
        message:
          `${env}: another mwaa-gitops run holds this environment's run lock (${who}).\n` +
          `  hint: two runs of one environment would share its working directory and saved plan. Wait for that run to finish and retry.\n` +
          `        If no such run is active, remove the lock file: ${path.relative(repoRoot, file) || file}`,
      };
    }
    try {
      fs.writeFileSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      fs.closeSync(fd);
    }
    held.add(file);
    hookExit();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      held.delete(file);
      // only our own lock: never one another run has taken since (after a manual removal, say)
      const h = readHolder(file);
      if (h && sameHolder(h, me)) fs.rmSync(file, { force: true });
    };
    return { ok: true, lock: { env, file, release }, note };
  }
  return { ok: false, message: `${env}: could not take the run lock ${file}` };
}
