import type { SpecRule, Violation } from '../types';
import { v } from '../util';
import { ARTIFACT_FIELDS } from '../../spec/types';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-ART-001',
    severity: 'error',
    description: 'requirements, plugins and startupScript use distinct S3 keys outside the DAGs folder; plugins is a .zip and the startup script a .sh.',
    // sources (developer notes): MWAA User Guide notes 3.2, 6.10 (startup script .sh), 11.4 (plugins.zip); files under dagsPath are synced and parsed as DAG files
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-dag-folder.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const b = spec.bucket;
    const arts = ARTIFACT_FIELDS.filter((k) => b[k]).map((k) => ({ k, a: b[k]! }));
    const dags = b.dagsPath.replace(/\/+$/, '') + '/';
    const seen = new Map<string, string>();
    for (const { k, a } of arts) {
      const path = `bucket.${k}`;
      if (seen.has(a.key)) out.push(v(path, `bucket.${k} and bucket.${seen.get(a.key)} both upload to S3 key "${a.key}".`, `Give bucket.${k} its own key.`, { atKey: true }));
      seen.set(a.key, k);
      if (a.key.startsWith(dags)) out.push(v(path, `S3 key "${a.key}" is inside the DAGs folder "${dags}"; the scheduler would try to parse it.`, `Use a key outside ${dags}, e.g. ${a.key.split('/').pop()}.`, { severity: 'warning', atKey: true }));
      if (k === 'plugins' && !/\.zip$/i.test(a.source)) out.push(v('bucket.plugins.source', `Plugins source "${a.source}" is not a .zip file; MWAA expects plugins.zip.`, 'Zip the plugins directory (chmod -R 755 . && zip -r plugins.zip .) and point source at it.'));
      if (k === 'startupScript' && !/\.sh$/i.test(a.source)) out.push(v('bucket.startupScript.source', `Startup script "${a.source}" is not a .sh file.`, 'Use a shell script ending in .sh.', { severity: 'warning' }));
    }
    return out;
  },
};
