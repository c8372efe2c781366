import type { SpecRule, Violation } from '../types';
import { v } from '../util';

const PATTERN = /^[a-zA-Z][0-9a-zA-Z_-]*$/;

/** Environment name: 1-80 characters, letter first, then letters, digits, `-`, `_` (MWAA API). */
export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NAME-001',
    severity: 'error',
    description: 'Environment name matches the MWAA API pattern ^[a-zA-Z][0-9a-zA-Z-_]*$ and is 1-80 characters long.',
    // sources (developer notes): MWAA API CreateEnvironment Name (length 1-80, pattern [a-zA-Z][0-9a-zA-Z-_]*); MWAA User Guide notes 14
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/create-environment.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const name = spec.name;
    if (name.length < 1 || name.length > 80) {
      out.push(v('name', `Environment name "${name}" is ${name.length} characters long; MWAA allows 1 to 80.`, 'Shorten the name to at most 80 characters.'));
    }
    if (!PATTERN.test(name)) {
      out.push(
        v(
          'name',
          `Environment name "${name}" is not allowed: it must start with a letter and contain only letters, digits, "-" and "_".`,
          `Rename it, e.g. name: ${suggest(name)}`,
        ),
      );
    }
    return out;
  },
};

function suggest(name: string): string {
  let s = name.replace(/[^0-9a-zA-Z_-]/g, '-');
  if (!/^[a-zA-Z]/.test(s)) s = 'env-' + s;
  return s.slice(0, 80) || 'my-environment';
}
