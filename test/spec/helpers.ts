/** Temporary repositories for spec tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A temp repo with the given files (path -> content); returns its root. */
export function makeRepo(files: Record<string, string | Buffer>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-spec-')));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return root;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** A minimal valid environment (public routing, defaults for the rest). */
export const MINIMAL = `apiVersion: mwaa-gitops/v1
name: minimal
region: us-east-1
airflow:
  version: "2.10.3"
  webserverAccess: PUBLIC_ONLY
network:
  mode: create
  routing: public
`;
