import { artifactFacts } from '../data';
import type { SpecRule, Violation } from '../types';
import { atFile, REQ_PATH, STARTUP_PATH } from './at';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-ART-002',
    severity: 'error',
    description: 'requirements.txt and the startup script are UTF-8 text files of at most 1 MB (no NUL bytes, no UTF-16).',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/working-dags-dependencies.html',
  },
  check({ doc }) {
    const out: Violation[] = [];
    const max = artifactFacts().requirements.maxTextBytes;
    const pairs = [
      { f: doc.artifacts?.requirements, path: REQ_PATH, what: 'requirements.txt' },
      { f: doc.artifacts?.startupScript, path: STARTUP_PATH, what: 'startup script' },
    ];
    for (const { f, path, what } of pairs) {
      if (!f?.unreadable) continue;
      const fix =
        f.unreadable.reason === 'too-large'
          ? `Keep the ${what} under ${max} bytes; install large dependencies from wheels in plugins.zip instead.`
          : `Save the ${what} as UTF-8 text (pip and the shell read it as text), without NUL bytes.`;
      out.push(atFile(path, f.file, 1, 1, `The ${what} cannot be read as text: ${f.unreadable.detail}.`, fix));
    }
    return out;
  },
};
