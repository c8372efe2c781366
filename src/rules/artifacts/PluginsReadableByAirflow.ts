import type { SpecRule } from '../types';
import { atFile, PLUGINS_PATH } from './at';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-PLG-006',
    severity: 'warning',
    description: 'plugins.zip entries recorded with Unix permissions are readable by everyone (the guide: chmod -R 755 before zipping).',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-dag-import-plugins.html',
  },
  check({ doc }) {
    const p = doc.artifacts?.plugins;
    if (!p || p.unreadable) return [];
    const bad = p.entries.filter((e) => e.mode !== undefined && !e.isSymlink && ((e.mode & 0o044) !== 0o044 || (e.isDirectory && (e.mode & 0o011) !== 0o011)));
    if (bad.length === 0) return [];
    const first = bad[0];
    return [
      atFile(PLUGINS_PATH, p.file, 1, 1, `${bad.length} plugins.zip ${bad.length === 1 ? 'entry is' : 'entries are'} not readable by other users (e.g. "${first.name}" mode ${first.mode!.toString(8)}); the Airflow processes may fail to import them.`, 'Rebuild the archive after chmod -R 755 on the plugins folder.'),
    ];
  },
};
