import { wheelFits, wheelPythons } from '../../artifacts/wheel';
import { airflowVersion, mwaaPlatform } from '../data';
import type { SpecRule, Violation } from '../types';
import { atFile, PLUGINS_PATH } from './at';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-PLG-005',
    severity: 'error',
    description: 'Wheels inside plugins.zip are built for the environment\'s Python version and MWAA\'s platform (Linux x86_64, manylinux), so pip --no-index can install them.',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/best-practices-dependencies.html',
  },
  check({ spec, doc }) {
    const p = doc.artifacts?.plugins;
    const python = airflowVersion(spec.airflow.version)?.python;
    if (!p || p.unreadable || !python) return [];
    const platform = mwaaPlatform(spec.airflow.version);
    const out: Violation[] = [];
    for (const name of p.badWheelNames) out.push(atFile(PLUGINS_PATH, p.file, 1, 1, `"${name}" ends in .whl but is not a valid wheel file name (name-version-python-abi-platform.whl); pip ignores it.`, 'Keep the file name pip wheel / pip download produced.'));
    for (const w of p.wheels) {
      const fit = wheelFits(w, python, platform.glibc, platform.arch);
      if (!fit.python) {
        out.push(atFile(PLUGINS_PATH, p.file, 1, 1, `Wheel "${w.path}" is built for Python ${wheelPythons(w).join(', ') || w.pythonTags.join('.')}; Airflow ${spec.airflow.version} on MWAA runs Python ${python}, so pip will not install it.`, `Rebuild the wheels for Python ${python}: pip download -r requirements.txt --python-version ${python} --only-binary=:all: --platform manylinux2014_x86_64 -d wheels`));
      } else if (!fit.platform) {
        out.push(atFile(PLUGINS_PATH, p.file, 1, 1, `Wheel "${w.path}" is built for ${w.platformTags.join('.')}; MWAA runs ${platform.os} on ${platform.arch} (manylinux up to glibc ${platform.glibc}).`, `Download the manylinux x86_64 wheel instead: pip download ${w.name}==${w.version} --python-version ${python} --only-binary=:all: --platform manylinux2014_x86_64 -d wheels`));
      }
    }
    return out;
  },
};
