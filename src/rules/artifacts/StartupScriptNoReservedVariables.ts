import { artifactFacts } from '../data';
import type { SpecRule, Violation } from '../types';
import { atFile, STARTUP_PATH } from './at';

/**
 * Variables a shell line sets, exports or unsets: `NAME=value` words before a command, and the names after
 * `export`, `declare -x`, `typeset -x`, `readonly`, `unset`, in every command of the line (split at `;`, `&&`,
 * `||`, `|`, `then`, `do`, `else`). A lint, not a shell parser: quoted values with spaces may hide a later word.
 */
export function assignedVariables(line: string): Array<{ name: string; column: number }> {
  const out: Array<{ name: string; column: number }> = [];
  const code = line.replace(/(^|\s)#.*$/, '');
  const sep = /(;|&&|\|\||\||\bthen\b|\bdo\b|\belse\b)/g;
  let from = 0;
  const segments: Array<{ text: string; at: number }> = [];
  let m: RegExpExecArray | null;
  while ((m = sep.exec(code)) !== null) {
    segments.push({ text: code.slice(from, m.index), at: from });
    from = m.index + m[0].length;
  }
  segments.push({ text: code.slice(from), at: from });
  for (const seg of segments) {
    const words: Array<{ w: string; at: number }> = [];
    const wre = /\S+/g;
    let w: RegExpExecArray | null;
    while ((w = wre.exec(seg.text)) !== null) words.push({ w: w[0], at: seg.at + w.index });
    if (words.length === 0) continue;
    const kw = /^(export|readonly|unset|declare|typeset)$/.test(words[0].w);
    if (kw && (words[0].w === 'declare' || words[0].w === 'typeset') && !words.slice(1).some((x) => /^-[a-zA-Z]*x/.test(x.w))) continue;
    for (const x of kw ? words.slice(1) : words) {
      if (x.w.startsWith('-')) continue;
      const eq = x.w.indexOf('=');
      const name = eq >= 0 ? x.w.slice(0, eq) : x.w;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) break;
      if (!kw && eq < 0) break;
      out.push({ name, column: x.at + 1 });
    }
  }
  return out;
}

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-STS-003',
    severity: 'error',
    description: 'The startup script does not set, export or unset the environment variables MWAA reserves (AIRFLOW_HOME, AIRFLOW__CORE__EXECUTOR, AWS_REGION ...): MWAA reverts them or the components break.',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/using-startup-script.html',
  },
  check({ doc }) {
    const s = doc.artifacts?.startupScript;
    if (!s || s.unreadable) return [];
    const reserved = new Set(artifactFacts().startupScript.reservedVariables);
    const out: Violation[] = [];
    s.lines.forEach((line, i) => {
      for (const a of assignedVariables(line)) {
        if (!reserved.has(a.name)) continue;
        out.push(atFile(STARTUP_PATH, s.file, i + 1, a.column, `The startup script sets ${a.name}, which MWAA reserves; MWAA overrides it (or the change breaks the Airflow components).`, `Remove the assignment. To change Airflow settings use airflow.configuration in the spec; PATH, PYTHONPATH, LD_LIBRARY_PATH and your own variables may be set here.`));
      }
    });
    return out;
  },
};
