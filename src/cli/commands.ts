/** The command registry: one line per command module. */
import type { Command } from 'commander';
import { register as show } from './show';
import { register as validate } from './validate';
import { register as affected } from './affected';
import { register as diff } from './diff';
import { register as cost } from './cost';
import { register as prComment } from './pr-comment';
import { register as importEnv } from './import';
import { register as synth } from './synth';
import { register as plan } from './plan';
import { register as apply } from './apply';
import { register as drift } from './drift';
import { register as destroy } from './destroy';
import { register as init } from './init';
import { register as unlock } from './unlock';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [
  validate,
  show,
  affected,
  diff,
  cost,
  prComment,
  importEnv,
  synth,
  plan,
  apply,
  drift,
  destroy,
  init,
  unlock,
];
