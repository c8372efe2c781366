/**
 * The command registry: one line per command module, loaded on demand. A run registers only the commands named on
 * its command line (all of them for `--help`, a bare invocation or an unknown command), so `validate` or `affected`
 * does not load the CDKTF, provider and AWS SDK modules other commands need (about 0.6 s of CPU per process).
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const COMMAND_MODULES: ReadonlyArray<{ name: string; load: () => RegisterCommand }> = [
  { name: 'validate', load: () => (require('./validate') as typeof import('./validate')).register },
  { name: 'show', load: () => (require('./show') as typeof import('./show')).register },
  { name: 'affected', load: () => (require('./affected') as typeof import('./affected')).register },
  { name: 'diff', load: () => (require('./diff') as typeof import('./diff')).register },
  { name: 'cost', load: () => (require('./cost') as typeof import('./cost')).register },
  { name: 'pr-comment', load: () => (require('./pr-comment') as typeof import('./pr-comment')).register },
  { name: 'import', load: () => (require('./import') as typeof import('./import')).register },
  { name: 'synth', load: () => (require('./synth') as typeof import('./synth')).register },
  { name: 'plan', load: () => (require('./plan') as typeof import('./plan')).register },
  { name: 'apply', load: () => (require('./apply') as typeof import('./apply')).register },
  { name: 'drift', load: () => (require('./drift') as typeof import('./drift')).register },
  { name: 'destroy', load: () => (require('./destroy') as typeof import('./destroy')).register },
  { name: 'init', load: () => (require('./init') as typeof import('./init')).register },
  { name: 'unlock', load: () => (require('./unlock') as typeof import('./unlock')).register },
];

/** Every command (help, usage errors, tests). */
export function allCommands(): RegisterCommand[] {
  return COMMAND_MODULES.map((c) => c.load());
}

/** The commands whose names appear in `args` (an option value that happens to be a name only adds one); all if none. */
export function commandsFor(args: readonly string[]): RegisterCommand[] {
  const named = COMMAND_MODULES.filter((c) => args.includes(c.name));
  return (named.length ? named : COMMAND_MODULES).map((c) => c.load());
}
