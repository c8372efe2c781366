import { artifactFacts } from '../data';
import type { SpecRule, Violation } from '../types';
import { atFile, PLUGINS_PATH } from './at';

const GB = 1024 * 1024 * 1024;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-PLG-004',
    severity: 'error',
    description: 'plugins.zip stays under the guide\'s 1 GB, both as an archive and extracted (a larger one does not install within MWAA\'s time limit).',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-dag-import-plugins.html',
  },
  check({ doc }) {
    const p = doc.artifacts?.plugins;
    if (!p) return [];
    const f = artifactFacts().plugins;
    const out: Violation[] = [];
    const gb = (n: number) => `${(n / GB).toFixed(2)} GB`;
    if (p.size > f.maxArchiveBytes) out.push(atFile(PLUGINS_PATH, p.file, 1, 1, `plugins.zip is ${gb(p.size)}; the guide's limit is 1 GB.`, 'Move large files (data, models) to S3 and read them at run time; keep plugins.zip to code and wheels.'));
    else if (p.uncompressedSize > f.maxUncompressedBytes) out.push(atFile(PLUGINS_PATH, p.file, 1, 1, `plugins.zip extracts to ${gb(p.uncompressedSize)}; the guide's limit is 1 GB.`, 'Move large files (data, models) to S3 and read them at run time; keep plugins.zip to code and wheels.'));
    return out;
  },
};
