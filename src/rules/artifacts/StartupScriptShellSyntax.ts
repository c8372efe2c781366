import type { SpecRule, Violation } from '../types';
import { atFile, STARTUP_PATH } from './at';

const SHELLS = /^#!\s*(\/usr\/bin\/env\s+)?(\/(usr\/)?bin\/)?(ba)?sh(\s|$)/;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-STS-002',
    severity: 'error',
    description: 'The startup script is a shell script: a sh/bash shebang (or none), and `bash -n` finds no syntax error (checked when bash is available).',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/using-startup-script.html',
  },
  check({ doc }) {
    const s = doc.artifacts?.startupScript;
    if (!s || s.unreadable) return [];
    const out: Violation[] = [];
    if (s.shebang !== undefined && !SHELLS.test(s.shebang)) {
      out.push(atFile(STARTUP_PATH, s.file, 1, 1, `The startup script starts with "${s.shebang}"; MWAA runs it with the shell, so it must be shell code (sh or bash).`, 'Use #!/bin/bash (or #!/bin/sh) and shell commands; call other interpreters from inside the script.'));
    }
    for (const e of s.syntax.errors) {
      out.push(atFile(STARTUP_PATH, s.file, e.line, 1, `bash -n: ${e.message}`, 'Fix the shell syntax at this line (bash -n startup.sh shows the same error); the script runs on every scheduler, worker and web server before Airflow starts.'));
    }
    if (s.syntax.skipped && s.crlfLines.length === 0) {
      out.push(atFile(STARTUP_PATH, s.file, 1, 1, `The startup script's syntax was not checked: ${s.syntax.skipped}.`, 'Install bash where validate runs to check the script before it ships.', { severity: 'info' }));
    }
    return out;
  },
};
