import { classifyConstraint, officialConstraintUrl } from '../../artifacts/constraints';
import { optionsNamed } from '../../artifacts/requirements';
import { airflowVersion, hasFeature, featureSince } from '../data';
import type { SpecRule, Violation } from '../types';
import { atFile, REQ_PATH } from './at';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-REQ-001',
    severity: 'error',
    description: 'From Airflow 2.7.2, requirements.txt has a --constraint line, and an Apache Airflow constraints URL names the environment\'s own Airflow and Python versions.',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/working-dags-dependencies.html',
  },
  check({ spec, doc }) {
    const req = doc.artifacts?.requirements;
    if (!req || req.unreadable) return [];
    const version = spec.airflow.version;
    const python = airflowVersion(version)?.python;
    const out: Violation[] = [];
    const expected = python ? officialConstraintUrl(version, python) : undefined;
    const constraints = optionsNamed(req.lines, 'constraint');
    if (constraints.length === 0 && hasFeature(version, 'constraintRequired')) {
      out.push(
        atFile(REQ_PATH, req.file, 1, 1, `requirements.txt has no --constraint line; from Airflow ${featureSince('constraintRequired')} MWAA requires one (it adds its own default when absent, so the file you review is not what pip resolves).`, expected ? `Add as the first line: --constraint "${expected}"` : 'Add a --constraint line naming the Apache Airflow constraints for your Airflow and Python versions.', { severity: 'warning' }),
      );
    }
    for (const c of constraints) {
      const value = c.value ?? '';
      const ref = classifyConstraint(value);
      if (ref.kind === 'official' && python && (ref.airflow !== version || ref.python !== python)) {
        const what = [ref.airflow !== version ? `Airflow ${ref.airflow}` : undefined, ref.python !== python ? `Python ${ref.python}` : undefined].filter(Boolean).join(' and ');
        out.push(atFile(REQ_PATH, req.file, c.line, c.valueColumn ?? c.column, `The constraint names ${what}, but the environment runs Airflow ${version} on Python ${python}; pip would resolve against the wrong pins and the update can roll back.`, `Use --constraint "${expected}"`));
      }
      // MWAA's installer looks for "-c " or "--constraint " (with a space); other spellings make it add its own default too.
      if (!/^(-c |--constraint )/.test(c.text)) {
        out.push(atFile(REQ_PATH, req.file, c.line, c.column, `MWAA recognizes a constraint line only as "-c <file>" or "--constraint <file>" (with a space); written as "${c.text.split(/\s/)[0]}", MWAA adds its own default constraints as well.`, `Write it as: --constraint "${value}"`, { severity: 'warning' }));
      }
    }
    return out;
  },
};
