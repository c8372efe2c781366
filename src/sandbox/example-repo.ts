/** Copying the bundled examples into a scratch repository (demo, plan benchmark). */
import * as fs from 'fs';
import * as path from 'path';

/** Bases (environments/_*.yaml) and artifact folders the examples reference. */
export function copyReferenced(repo: string, work: string): void {
  for (const f of fs.readdirSync(path.join(repo, 'environments'))) {
    if (f.startsWith('_')) fs.copyFileSync(path.join(repo, 'environments', f), path.join(work, 'environments', f));
  }
  for (const dir of ['airflow', 'dags', 'artifacts', 'files', 'plugins']) {
    if (fs.existsSync(path.join(repo, dir))) fs.cpSync(path.join(repo, dir), path.join(work, dir), { recursive: true });
  }
}
