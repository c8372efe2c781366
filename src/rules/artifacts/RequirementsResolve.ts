import type { SpecRule, Violation } from '../types';
import { atFile, REQ_PATH } from './at';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-REQ-006',
    severity: 'error',
    description: '`validate --resolve`: pip resolves requirements.txt against its constraints for the environment\'s Python on manylinux x86_64, binary wheels only (pip install --dry-run --report); conflicts and packages without a wheel are reported at the line that asks for them.',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/working-dags-dependencies.html',
  },
  check({ doc }) {
    const req = doc.artifacts?.requirements;
    const res = req?.resolution;
    if (!req || !res) return [];
    const out: Violation[] = [];
    if (res.status === 'skipped') {
      out.push(atFile(REQ_PATH, req.file, 1, 1, `requirements.txt was not resolved: ${res.reason ?? 'skipped'}.`, res.unavailable ? 'Run validate --resolve where PyPI and the constraints URL are reachable, or give a local copy with --constraints-dir.' : 'Nothing to fix in the file: this case cannot be resolved outside MWAA.', { severity: res.unavailable ? 'warning' : 'info' }));
      return out;
    }
    const against = res.substitutedConstraint ? ` (resolved against ${res.substitutedConstraint.used}, the constraints of Airflow ${res.airflowVersion}, instead of the stale line ${res.substitutedConstraint.line})` : '';
    for (const p of res.problems) {
      const fix =
        p.kind === 'no-wheel'
          ? `MWAA installs binary wheels for Python ${res.python} on manylinux x86_64: pick a version of ${p.package ?? 'the package'} that publishes one (or its *-binary variant), or build the wheel and ship it in plugins.zip.`
          : p.kind === 'conflict'
            ? 'Use the version the constraints pin (or a range that includes it); to run a newer provider, store an edited copy of the constraints file in the DAGs folder and reference it.'
            : p.kind === 'not-found'
              ? 'Check the package name and version on PyPI (or your index).'
              : 'See pip\'s message; fix the line or the index options.';
      out.push(atFile(REQ_PATH, req.file, p.line ?? 1, 1, `${p.message}${against}`, fix));
    }
    return out;
  },
};
