/**
 * Local-backend state safety. Terraform's local backend rewrites terraform.tfstate in place (truncate + write): a
 * process killed during that write leaves an empty or cut-off file, which Terraform then reads as "no state" and
 * would create everything again. So, for stacks with a local backend:
 * - before Terraform runs, an empty or unparsable state file stops the run with the restore step;
 * - while an apply runs (and before/after it), every complete state Terraform has written is copied to
 *   `<state>.last-good` (temp file + rename), so a restore point at most one interval old survives a kill.
 * The copies hold what the state holds (Terraform state is sensitive; keep .mwaa-gitops/ out of git).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The local state file of a synthesized stack directory, or undefined for other backends. */
export function localStateFile(stackDir: string): string | undefined {
  try {
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: { local?: { path?: string } } } };
    const p = tf.terraform?.backend?.local?.path;
    return p ? path.resolve(stackDir, p) : undefined;
  } catch {
    return undefined;
  }
}

export function lastGoodFile(stateFile: string): string {
  return `${stateFile}.last-good`;
}

function parses(text: string): boolean {
  try {
    const s = JSON.parse(text) as { version?: unknown };
    return typeof s === 'object' && s !== null && typeof s.version === 'number';
  } catch {
    return false;
  }
}

/** Throws (message for people) when the state file exists but is empty or cut off. */
export function assertStateReadable(env: string, stateFile: string | undefined): void {
  if (!stateFile || !fs.existsSync(stateFile)) return;
  const text = fs.readFileSync(stateFile, 'utf8');
  if (parses(text)) return;
  const good = lastGoodFile(stateFile);
  const restore = fs.existsSync(good) ? `cp ${good} ${stateFile}` : fs.existsSync(`${stateFile}.backup`) ? `cp ${stateFile}.backup ${stateFile}` : 'restore it from your backups';
  throw new Error(
    `the Terraform state file ${stateFile} is ${text.length === 0 ? 'empty' : 'cut off (not valid JSON)'}: a run was probably killed while Terraform was writing it. ` +
      `Terraform would read it as "no state" and create everything again, so nothing was run. Restore the last complete state (${restore}) and run again.`,
  );
}

/** Copies the state to `<state>.last-good` when it is complete. */
export function snapshotState(stateFile: string | undefined): void {
  if (!stateFile || !fs.existsSync(stateFile)) return;
  let text: string;
  try {
    text = fs.readFileSync(stateFile, 'utf8');
  } catch {
    return;
  }
  if (!parses(text)) return;
  const good = lastGoodFile(stateFile);
  try {
    if (fs.existsSync(good) && fs.readFileSync(good, 'utf8') === text) return;
    const tmp = `${good}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, good);
  } catch {
    /* best effort: a failed copy never fails the run */
  }
}

/** Snapshots the state every `intervalMs` until the returned function is called (which snapshots once more). */
export function watchState(stateFile: string | undefined, intervalMs = 500): () => void {
  if (!stateFile) return () => undefined;
  const timer = setInterval(() => snapshotState(stateFile), intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    snapshotState(stateFile);
  };
}
