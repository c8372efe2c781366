/**
 * One provider process for one environment's plan: the stack's AWS provider started once in debug mode and handed to
 * Terraform through TF_REATTACH_PROVIDERS (what Terraform's own provider test framework does; OpenTofu reads the same
 * variable). A normal `terraform plan` starts the ~700 MB provider more than once (schema and validation, then the
 * plan walk) and `show -json` starts it again; attached, `plan` and `show -json` talk to the one process.
 *
 * Facts this relies on (measured with hashicorp/aws 5.100.0, Terraform 1.11.4):
 * - the provider binary started with `-debug` prints `TF_REATTACH_PROVIDERS='{...}'` on stdout and serves until it
 *   is interrupted;
 * - a provider process can be configured only once: a second `plan` against it fails ("unable to add custom RootCAs
 *   HTTPClient"). So a session serves exactly one `plan` (which configures it) and then `show -json` (which does not
 *   configure), and is stopped; `apply` gets a fresh session of its own (src/cli/apply.ts), which it configures once;
 * - the provider reads AWS_* variables from its own environment: it is started with the environment Terraform gets.
 *
 * Only the provider `terraform init` installed into the stack (`.terraform/providers/...`, checksums verified by init
 * against the lock file) is started, under the address the lock file names (registry.terraform.io/... for Terraform,
 * registry.opentofu.org/... for OpenTofu). Anything unexpected (no lock entry, no binary, no reattach line within the
 * start-up bound, the provider exiting) returns no session and the plan runs as usual: this is a speed-up, never a
 * requirement. `MWAA_GITOPS_PROVIDER_REATTACH=0` turns it off; a TF_REATTACH_PROVIDERS set by the user is left alone.
 *
 * The provider is this process's own child, not Terraform's, so it must not outlive this process however it ends. It
 * runs under a small sh watchdog ({@link WATCHDOG}) whose stdin is a pipe from this process: when the pipe reaches
 * end-of-file (the session is stopped, or this process ended, SIGKILL and the OOM killer included) the watchdog
 * interrupts the provider, and kills it if it is still there 5 s later. (Before, a provider outlived a SIGKILLed CLI:
 * idle, holding ~500 MB, until the machine went away.)
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface ProviderSession {
  /** Environment for the terraform commands that use the session. */
  env: Record<string, string>;
  /** The provider's address, as the lock file names it. */
  address: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30000;

/**
 * Runs the provider (`$0`) with -debug and waits for it. Beside it, a watcher waits for end-of-file on stdin (`cat`),
 * then stops the provider: SIGINT, its graceful stop, and SIGKILL 5 s later if it is still running. A provider that
 * exits by itself ends the watchdog with its exit status (its watcher, stdio on /dev/null, ends when this process
 * closes the pipe: `stop`, or this process ending). The provider's stdout and stderr are the watchdog's.
 */
export const WATCHDOG = [
  // the pipe moves to fd 3: a background job of a non-interactive sh has its stdin replaced by /dev/null
  'exec 3<&0 0</dev/null',
  '"$0" -debug 3<&- & p=$!',
  '(cat <&3 >/dev/null; kill -INT $p; sleep 5; kill -KILL $p) >/dev/null 2>&1 & w=$!',
  'exec 3<&-',
  'wait $p; s=$?',
  'kill $w 2>/dev/null',
  'exit $s',
].join('\n');
const PROVIDER = /^provider\s+"([^"]+\/hashicorp\/aws)"\s*\{([^}]*)\}/m;

/** The hashicorp/aws provider of a stack's lock file: its address and version. */
export function lockedAwsProvider(lockText: string): { address: string; version: string } | undefined {
  const m = PROVIDER.exec(lockText);
  const version = m ? /^\s*version\s*=\s*"([^"]+)"/m.exec(m[2])?.[1] : undefined;
  return m && version ? { address: m[1], version } : undefined;
}

/** `linux_amd64`, `darwin_arm64`: Terraform's platform directory name for this process. */
export function platformDir(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const a = arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
  return `${platform}_${a}`;
}

/** The installed provider binary of a stack, or undefined. */
export function providerBinary(stackDir: string, address: string, version: string): string | undefined {
  const dir = path.join(stackDir, '.terraform', 'providers', ...address.split('/'), version, platformDir());
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return undefined;
  }
  const name = names.find((n) => n.startsWith('terraform-provider-aws'));
  return name ? path.join(dir, name) : undefined;
}

/** The reattach JSON printed by a provider in debug mode, re-keyed to `address`. */
export function reattachConfig(stdout: string, address: string): string | undefined {
  const m = /TF_REATTACH_PROVIDERS='(\{.*\})'/.exec(stdout);
  if (!m) return undefined;
  try {
    const cfg = JSON.parse(m[1]) as Record<string, unknown>;
    const values = Object.values(cfg);
    if (values.length !== 1 || typeof values[0] !== 'object' || values[0] === null) return undefined;
    return JSON.stringify({ [address]: values[0] });
  } catch {
    return undefined;
  }
}

export function reattachEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.MWAA_GITOPS_PROVIDER_REATTACH !== '0' && !env.TF_REATTACH_PROVIDERS;
}

const live = new Set<ChildProcess>();
let exitHook = false;

/** Starts the stack's AWS provider in debug mode; undefined when that is not possible (the plan then runs as usual). */
export async function startProvider(stackDir: string, env: Record<string, string> = {}): Promise<ProviderSession | undefined> {
  if (!reattachEnabled({ ...process.env, ...env })) return undefined;
  let lock: { address: string; version: string } | undefined;
  try {
    lock = lockedAwsProvider(fs.readFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'utf8'));
  } catch {
    return undefined;
  }
  if (!lock) return undefined;
  const binary = providerBinary(stackDir, lock.address, lock.version);
  if (!binary) return undefined;
  const address = lock.address;
  return new Promise<ProviderSession | undefined>((resolve) => {
    let child: ChildProcess;
    try {
      // detached: a process group of its own, so a signal for this process's group (a terminal's Ctrl-C, `timeout`)
      // does not reach the provider. In -debug mode the provider stops on SIGINT, where a provider Terraform starts
      // ignores it; stopped under Terraform's graceful stop, it failed the calls in flight and an apply interrupted
      // during the MWAA create left the environment created in AWS and absent from the state (measured on the
      // emulators; Terraform records it, tainted, when it owns the provider). The watchdog stops it with the session.
      child = spawn('/bin/sh', ['-c', WATCHDOG, binary], { cwd: stackDir, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    } catch {
      resolve(undefined);
      return;
    }
    live.add(child);
    if (!exitHook) {
      exitHook = true;
      // never leave a provider behind, whatever ends this process: closing the watchdog's stdin stops it (the OS closes
      // the pipe anyway when this process dies; killing the watchdog instead would leave the provider running)
      process.on('exit', () => {
        for (const c of live) c.stdin?.destroy();
      });
    }
    let out = '';
    let settled = false;
    const exited = new Promise<void>((r) => child.once('close', () => r()));
    const stop = async () => {
      // end-of-file for the watcher, also when the provider has exited by itself
      child.stdin!.end();
      if (child.exitCode === null && child.signalCode === null) {
        // the watchdog interrupts the provider (and kills it after 5 s); the watchdog itself is killed only if it hangs
        const t = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(t);
      }
      live.delete(child);
    };
    const give = (s: ProviderSession | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!s) void stop();
      resolve(s);
    };
    const timer = setTimeout(() => give(undefined), START_TIMEOUT_MS);
    child.on('error', () => give(undefined));
    // the watchdog gone early (a provider that exits at once): nothing reads its stdin any more
    child.stdin!.on('error', () => undefined);
    child.on('close', () => {
      live.delete(child);
      give(undefined);
    });
    // the provider logs to stderr; drained so it never blocks
    child.stderr!.resume();
    child.stdout!.on('data', (b: Buffer) => {
      if (settled) return;
      out = (out + b.toString('utf8')).slice(-20000);
      const cfg = reattachConfig(out, address);
      if (cfg) give({ env: { TF_REATTACH_PROVIDERS: cfg }, address, stop });
    });
  });
}
