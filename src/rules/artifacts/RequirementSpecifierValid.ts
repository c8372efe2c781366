import type * as Pep440 from '@renovatebot/pep440';
import type { SpecRule, Violation } from '../types';
import { atFile, REQ_PATH } from './at';

/** PEP 440, loaded when a requirements file has specifiers. */
function pep440(): typeof Pep440 {
  return require('@renovatebot/pep440') as typeof Pep440;
}

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-REQ-003',
    severity: 'error',
    description: 'Every requirements.txt line is a PEP 508 requirement with PEP 440 version specifiers, or a pip requirements-file option.',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/working-dags-dependencies.html',
  },
  check({ doc }) {
    const req = doc.artifacts?.requirements;
    if (!req) return [];
    const out: Violation[] = [];
    for (const l of req.lines) {
      if (l.kind === 'invalid') {
        out.push(atFile(REQ_PATH, req.file, l.line, l.column, `"${l.text}" is not a valid requirement: ${l.error}.`, 'Write one requirement per line as name[extras]==version (PEP 508), or a pip option such as --constraint "<url>".'));
        continue;
      }
      if (l.kind !== 'requirement') continue;
      for (const s of l.specifiers) {
        if (s.operator === '===' || pep440().validRange(`${s.operator}${s.version}`)) continue;
        out.push(atFile(REQ_PATH, req.file, l.line, s.column, `"${s.operator}${s.version}" in "${l.text}" is not a PEP 440 version specifier; pip rejects the whole file.`, `Use a release version, e.g. ${l.name}==1.2.3.`));
      }
    }
    return out;
  },
};
