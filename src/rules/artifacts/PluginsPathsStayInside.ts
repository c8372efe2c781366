import type { SpecRule, Violation } from '../types';
import { atFile, PLUGINS_PATH } from './at';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-PLG-003',
    severity: 'error',
    description: 'No plugins.zip entry escapes the archive: no absolute paths, no ".." segments, no backslashes, no symbolic links.',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-dag-import-plugins.html',
  },
  check({ doc }) {
    const p = doc.artifacts?.plugins;
    if (!p || p.unreadable) return [];
    const out: Violation[] = [];
    for (const e of p.entries) {
      const n = e.name;
      let why: string | undefined;
      if (n.startsWith('/') || /^[A-Za-z]:/.test(n)) why = 'is an absolute path';
      else if (n.split(/[\\/]/).includes('..')) why = 'climbs out of the archive with ".."';
      else if (n.includes('\\')) why = 'contains a backslash (a Windows path separator: extracted on Linux it becomes part of the file name)';
      else if (e.isSymlink) why = 'is a symbolic link (it can point anywhere on the worker once extracted)';
      if (why) out.push(atFile(PLUGINS_PATH, p.file, 1, 1, `plugins.zip entry "${n}" ${why}.`, 'Rebuild the archive from a plain folder with relative paths: cd plugins && zip -r ../plugins.zip . (no symlinks).'));
    }
    return out;
  },
};
