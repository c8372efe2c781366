/**
 * The mwaa-gitops command line. Each command lives in its own module under src/cli/ and exports the one command
 * shape (src/cli/result.ts): `run(args, deps?)` -> `{ exitCode, stdout, stderr }` (exit 0 ok, 1 invalid/failed, 2 only
 * where documented), and `register(program)`, whose action parses the options into `args` and writes `run`'s result.
 *
 * Conventions kept here, for every command:
 *   - `--version` / `-V` prints the package version (package.json of the installed tool).
 *   - A usage error (unknown option or command, missing argument, bad choice) is ONE line on stderr with commander's
 *     suggestion and where the help is; exit 1.
 *   - The repository is found by src/repo.ts before any action runs (walking up from the current directory or `-C`),
 *     and the global `repo` option then holds the absolute repository root for the command modules.
 *   - No stack trace reaches a user: unexpected exceptions are reported as one line (the stack only with
 *     MWAA_GITOPS_DEBUG=1), and a closed stdout/stderr (EPIPE, e.g. `validate | head -1`) is ignored silently.
 */
import { Command } from 'commander';
import { toolVersion } from '../paths';
import { resolveRepoRoot } from '../repo';
import { enableParseStore, saveParseStore } from '../spec/parse-store';
import { PARSER_FILES } from '../spec/yaml';
import { allCommands, commandsFor } from './commands';

/** Commands that run without an existing repository: `init` creates one; `import` writes into the start directory. */
const CREATES_REPO = new Set(['init']);
const REPO_OPTIONAL = new Set(['import']);

/** Commander's error text ("error: unknown option '--x'\n(Did you mean --y?)") as one line naming the help. */
export function oneLineUsageError(text: string, cmd: Command): string {
  const body = text
    .replace(/^error:\s*/, '')
    .replace(/\s*\n\s*\((Did you mean)/, ' (did you mean')
    .replace(/\s*\n\s*/g, ' ')
    .trim()
    .replace(/\.$/, '');
  const help = cmd.parent ? `mwaa-gitops ${cmd.name()} --help` : 'mwaa-gitops --help';
  return `mwaa-gitops: ${body}; see '${help}'\n`;
}

/** The program with every command, or (from `main`) only those named in `args`. */
export function buildProgram(args?: readonly string[]): Command {
  const program = new Command();
  program
    .name('mwaa-gitops')
    .description('GitOps for Amazon MWAA: validate YAML specs, synthesize CDKTF stacks, plan/apply/drift with Terraform')
    .version(toolVersion(), '-V, --version', 'print the mwaa-gitops version')
    .option('-C, --repo <dir>', 'run as if started in <dir>; the repository root (holding environments/) is found from there upwards')
    .showSuggestionAfterError(true)
    .exitOverride();
  for (const register of args ? commandsFor(args) : allCommands()) register(program);
  for (const cmd of [program, ...program.commands]) {
    cmd.configureOutput({ outputError: (text, write) => write(oneLineUsageError(text, cmd)) });
  }
  program.hook('preAction', (_root, action) => {
    const name = action.name();
    if (CREATES_REPO.has(name)) return;
    const given = program.opts<{ repo?: string }>().repo;
    program.setOptionValue('repo', resolveRepoRoot({ dir: given, required: !REPO_OPTIONAL.has(name) }));
  });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(argv.slice(2));
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err: unknown) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (e && typeof e.code === 'string' && e.code.startsWith('commander.')) {
      // help / version are exit 0; usage errors were already printed (one line) by commander.
      return e.exitCode === 0 ? 0 : 1;
    }
    reportUnexpected(err);
    return 1;
  }
}

function reportUnexpected(err: unknown): void {
  const e = err as Error | undefined;
  process.stderr.write(`mwaa-gitops: ${e?.message ?? String(err)}\n`);
  if (process.env.MWAA_GITOPS_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
}

type Write = (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;

/** Set when stdout failed with something other than EPIPE: the output is incomplete, so the run fails. */
let stdoutFailed = false;

/**
 * A reader that goes away (`| head -1`, a closed pager) makes the next write fail with EPIPE, which Node raises as
 * an unhandled 'error' event with a stack trace. From then on writes to that stream are dropped: the command still
 * finishes what it started (an apply is never cut short because its reader left) and exits with its own code.
 */
export function guardStdio(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if ((stream as { __mwaaGuarded?: boolean }).__mwaaGuarded) continue;
    (stream as { __mwaaGuarded?: boolean }).__mwaaGuarded = true;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      const drop: Write = (_chunk, encoding, cb) => {
        const done = typeof encoding === 'function' ? encoding : cb;
        if (typeof done === 'function') process.nextTick(done as () => void);
        return true;
      };
      (stream as unknown as { write: Write }).write = drop;
      if (err?.code !== 'EPIPE' && stream === process.stdout) {
        stdoutFailed = true;
        process.stderr.write(`mwaa-gitops: cannot write to stdout (${err?.code ?? err?.message})\n`);
      }
    });
  }
}

/** The process entry point (bin/mwaa-gitops): stdio guards, last-resort error handlers, then main(). */
export function run(argv: string[] = process.argv): Promise<void> {
  guardStdio();
  const lastResort = (err: unknown): void => {
    reportUnexpected(err);
    process.exit(1);
  };
  process.on('uncaughtException', lastResort);
  process.on('unhandledRejection', lastResort);
  // parses shared with the tool's next process (validate, then affected, then diff in one CI job)
  enableParseStore([...PARSER_FILES], toolVersion());
  return main(argv).then(
    (code) => {
      saveParseStore();
      process.exitCode = code === 0 && stdoutFailed ? 1 : code;
    },
    lastResort,
  );
}

if (require.main === module) void run();
