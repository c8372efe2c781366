/**
 * The CLI as a child process, from the TypeScript sources (never dist/, so a stale build cannot pass a test):
 * `node CLI_FROM_SOURCE <args>` behaves as `bin/mwaa-gitops <args>` on the current source tree.
 */
import * as path from 'path';

export const CLI_FROM_SOURCE = path.join(__dirname, 'mwaa-gitops-from-source.js');
