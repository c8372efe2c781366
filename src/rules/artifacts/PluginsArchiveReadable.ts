import { artifactFacts } from '../data';
import type { SpecRule } from '../types';
import { atFile, PLUGINS_PATH } from './at';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-PLG-001',
    severity: 'error',
    description: 'plugins.zip is a readable zip archive (MWAA fails the update when it cannot extract it).',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-dag-import-plugins.html',
  },
  check({ doc }) {
    const p = doc.artifacts?.plugins;
    // an archive over the size limit is not opened; MWAA-PLG-004 reports its size
    if (!p?.unreadable || p.size > artifactFacts().plugins.maxArchiveBytes) return [];
    return [atFile(PLUGINS_PATH, p.file, 1, 1, `plugins.zip cannot be read: ${p.unreadable.detail}.`, 'Rebuild it from the plugins folder: cd plugins && chmod -R 755 . && zip -r ../plugins.zip .')];
  },
};
