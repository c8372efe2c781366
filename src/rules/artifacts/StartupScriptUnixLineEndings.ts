import type { SpecRule } from '../types';
import { atFile, STARTUP_PATH } from './at';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-STS-001',
    severity: 'error',
    description: 'The startup script has Unix line endings (LF): with CR LF every command ends in a carriage return and the shell fails ("$\'\\r\': command not found").',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/using-startup-script.html',
  },
  check({ doc }) {
    const s = doc.artifacts?.startupScript;
    if (!s || s.crlfLines.length === 0) return [];
    const n = s.crlfLines.length;
    return [atFile(STARTUP_PATH, s.file, s.crlfLines[0], 1, `The startup script has Windows line endings (CR LF) on ${n} line${n === 1 ? '' : 's'}, starting here; the shell on MWAA reads the CR as part of each command.`, 'Convert it to LF: dos2unix startup.sh (or set your editor / .gitattributes to eol=lf for *.sh).')];
  },
};
