/** Helpers shared by the artifact rules: locations inside artifact files, and the spec path each artifact hangs on. */
import { maskCredentials } from '../../report/mask';
import type { Violation } from '../types';

export const REQ_PATH = 'bucket.requirements.source';
export const PLUGINS_PATH = 'bucket.plugins.source';
export const STARTUP_PATH = 'bucket.startupScript.source';

/** A violation located in an artifact file (line/column 1-based). */
export function atFile(path: string, file: string, line: number, column: number, message: string, fix: string, extra: Partial<Violation> = {}): Violation {
  // artifact lines may carry index credentials (https://user:token@host): masked here, in every output format
  return { path, message: maskCredentials(message), fix: maskCredentials(fix), at: { file, line: Math.max(1, line), column: Math.max(1, column) }, ...extra };
}
