import type { SpecRule } from '../types';
import { atFile, PLUGINS_PATH } from './at';

/** Entries that zip tools add and that are not part of the layout. */
const NOISE = /^(__MACOSX\/|\.DS_Store$)/;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-PLG-002',
    severity: 'error',
    description: 'plugins.zip has its files at the root, not all inside one top-level folder (MWAA extracts it as is into /usr/local/airflow/plugins).',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-dag-import-plugins.html',
  },
  check({ doc }) {
    const p = doc.artifacts?.plugins;
    if (!p || p.unreadable) return [];
    const files = p.entries.filter((e) => !e.isDirectory && !NOISE.test(e.name)).map((e) => e.name.replace(/^\.\//, ''));
    if (files.length === 0) return [];
    if (files.some((f) => !f.includes('/'))) return [];
    const tops = new Set(files.map((f) => f.split('/')[0]));
    if (tops.size !== 1) return [];
    const top = [...tops][0];
    // a Python package at the root (top/__init__.py) is a valid layout: it is importable from the plugins folder
    if (files.includes(`${top}/__init__.py`)) return [];
    return [
      atFile(PLUGINS_PATH, p.file, 1, 1, `Every file in plugins.zip is inside the folder "${top}/" (e.g. ${files[0]}); MWAA extracts it to /usr/local/airflow/plugins/${top}/..., where Airflow does not load plugins from.`, `Zip the folder's contents, not the folder: cd ${top} && chmod -R 755 . && zip -r ../plugins.zip .`),
    ];
  },
};
