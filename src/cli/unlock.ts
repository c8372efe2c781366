/**
 * `mwaa-gitops unlock <env> [--yes]`: clears a stale state lock (Terraform's force-unlock) of an environment with S3
 * state. It reads the lock file Terraform's S3 backend keeps beside the state (`s3://<bucket>/<key>.tflock`, written
 * with `use_lockfile`), shows who holds it, for which operation and since when, and asks for confirmation before
 * `terraform force-unlock -force <ID>` removes it. `--yes` skips the question; without a terminal and without `--yes`
 * it refuses (a CI job must say so explicitly). Force-unlock checks the ID, so a lock taken again meanwhile by
 * another run is not removed. Exit 0: removed, or no lock held; 1: refused, declined, or an error.
 *
 * Local state has no lock to clear: its lock is an OS file lock of the running terraform process, released when that
 * process ends (killed runs included).
 */
import type { Command } from 'commander';
import * as readline from 'readline';
import { describeLock, lockKey, readLock, stateS3Client, type LockInfo, type S3StateLocation } from '../terraform/state-s3';
import { errorMessage, type EnvContext } from '../terraform/workflow';
import { addTerraformOptions, TerraformCliOptions, TerraformDeps, withPrepared } from './plan';
import { writeResult, type CommandResult } from './result';

export interface UnlockArgs extends TerraformCliOptions {
  /** One environment name or spec file (`target` is the deprecated alias of --provider-args). */
  env: string;
  yes?: boolean;
}

export type UnlockResult = CommandResult;

/** What the gate needs from the outside world (injected, so the gate is tested without AWS or a terminal). */
export interface UnlockDeps {
  readLock(): Promise<LockInfo | undefined>;
  /** terraform force-unlock -force <id> */
  forceUnlock(id: string): Promise<void>;
  /** Asks the question on a terminal; undefined when there is none (stdin is not a TTY). */
  confirm?: (question: string) => Promise<boolean>;
  now?: Date;
}

/**
 * The protective gate: nothing is removed unless the lock exists and `--yes` was given or the person typed `yes`.
 * After force-unlock the lock file is read again: it must be gone.
 */
export async function unlockGate(env: string, state: S3StateLocation, deps: UnlockDeps, o: { yes?: boolean }): Promise<UnlockResult> {
  const where = `s3://${state.bucket}/${lockKey(state)}`;
  const lock = await deps.readLock();
  if (!lock) return { exitCode: 0, stdout: `${env}: no state lock held (${where} does not exist); nothing to unlock.\n`, stderr: '' };
  const shown = `${env}: the state is locked:\n${describeLock(state, lock, deps.now)}\n`;
  if (!o.yes) {
    if (!deps.confirm) {
      return {
        exitCode: 1,
        stdout: shown,
        stderr:
          `${env}: refused: unlock asks for confirmation and there is no terminal to ask on. ` +
          `Check that no run of ${env} is active (the holder above), then run: mwaa-gitops unlock ${env} --yes\n`,
      };
    }
    const ok = await deps.confirm(
      `${shown}Removing the lock of a run that is still active lets two runs write the state at once.\n` +
        `Remove this lock? Only if no run of ${env} is active. Type 'yes' to confirm: `,
    );
    if (!ok) return { exitCode: 1, stdout: '', stderr: `${env}: unlock cancelled; the lock was not removed.\n` };
  }
  await deps.forceUnlock(lock.ID);
  const after = await deps.readLock();
  if (after && after.ID === lock.ID) {
    return { exitCode: 1, stdout: shown, stderr: `${env}: terraform force-unlock ${lock.ID} ran but ${where} is still there; remove it by hand: aws s3 rm ${where}\n` };
  }
  const retaken = after ? ` (another run has taken a new lock since: ${after.ID}, ${after.Who ?? 'unknown'})` : '';
  return { exitCode: 0, stdout: `${o.yes ? shown : ''}${env}: lock ${lock.ID} removed${retaken}.\n`, stderr: '' };
}

/**
 * Reads one line from the terminal; true only for `yes`. Ctrl-C (the terminal's readline gets it as a key, not as a
 * signal) and Ctrl-D (end of input) answer no: without this the question was left unanswered, the event loop ran
 * dry, and the command ended with exit 0 and nothing said.
 */
export function terminalConfirm(question: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<boolean> {
  const rl = readline.createInterface({ input, output });
  return new Promise((resolve) => {
    let answered = false;
    const answer = (yes: boolean) => {
      if (answered) return;
      answered = true;
      rl.close();
      resolve(yes);
    };
    rl.on('SIGINT', () => {
      output.write('\n');
      answer(false);
    });
    rl.on('close', () => answer(false));
    rl.question(question, (a) => answer(a.trim() === 'yes'));
  });
}

export interface UnlockCommandDeps extends TerraformDeps {
  /** Asks on a terminal; undefined when there is none (then only --yes removes a lock). */
  confirm?: (question: string) => Promise<boolean>;
}

export async function run(args: UnlockArgs, deps: UnlockCommandDeps = {}): Promise<CommandResult> {
  const o = args;
  return withPrepared([args.env], o, 'unlock', deps, (prepared) => unlockPrepared(prepared.envs[0], o, deps.confirm));
}

async function unlockPrepared(ctx: EnvContext, o: UnlockArgs, confirm: UnlockCommandDeps['confirm']): Promise<CommandResult> {
  // a run of this environment on this machine is active: its lock is not stale
  if (ctx.locked) return { exitCode: 1, stdout: '', stderr: `${ctx.locked}\n` };
  const env = ctx.spec.name;
  const state = ctx.spec.state;
  if (state.backend !== 's3') {
    return {
      exitCode: 1,
      stdout: '',
      stderr:
        `${env}: nothing to unlock: this environment keeps local state, whose lock is an OS file lock held by the running ` +
        `terraform process and released when it ends (a killed run included). unlock is for S3 state (state.backend: s3).\n`,
    };
  }
  const client = stateS3Client(state, ctx.s3Backend);
  try {
    return await unlockGate(
      env,
      state,
      {
        readLock: () => readLock(client, state),
        forceUnlock: async (id) => {
          await ctx.runner.init();
          await ctx.runner.raw(['force-unlock', '-force', id]);
        },
        confirm,
      },
      o,
    );
  } catch (e) {
    return { exitCode: 1, stdout: '', stderr: `${errorMessage(env, e)}\n` };
  }
}

export function register(program: Command): void {
  addTerraformOptions(
    program
      .command('unlock')
      .description("clear a stale S3 state lock (terraform force-unlock): shows the lock's holder, operation and age, then asks (exit 0 removed or none held, 1 refused or error)")
      .argument('<env>', 'environment name or spec file')
      .option('--yes', 'remove the lock without asking (required when there is no terminal)'),
  ).action(async (target: string, _opts: unknown, cmd: Command) => {
    const o = cmd.optsWithGlobals() as Omit<UnlockArgs, 'env'>;
    writeResult(await run({ ...o, env: target }, { confirm: process.stdin.isTTY ? terminalConfirm : undefined }));
  });
}
