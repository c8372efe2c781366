/**
 * Recovery hints appended to terraform failures the user can fix with one known step (pure; no I/O).
 * - The MWAA environment exists but is not in the state (an apply killed after the create request went out):
 *   adopt it with an import block instead of creating it again.
 * - The state lock is held (another apply of the same environment, or a killed run on a backend whose lock
 *   outlives the process): wait, or force-unlock when no run is active.
 */
export function recoveryHint(env: string, message: string): string | undefined {
  if (/creating MWAA Environment[\s\S]*already exists/i.test(message)) {
    return [
      `  hint: ${env} exists in MWAA but not in this environment's Terraform state (an apply interrupted after the create request?).`,
      `        Adopt it instead of creating it: write environments/${env}.imports.json with`,
      `        {"imports": {"aws_mwaa_environment.environment": "${env}"}} (or run \`mwaa-gitops import ${env}\`), apply again, then delete the file.`,
    ].join('\n');
  }
  if (/Error acquiring the state lock|state lock/i.test(message) && /PreconditionFailed|\bS3: PutObject\b/.test(message)) {
    // Terraform's S3 native lock file (use_lockfile): created with If-None-Match: *, so a held lock answers 412.
    const lockPath = /Path:\s+(\S+)/.exec(message)?.[1];
    return [
      `  hint: another run holds the state lock of ${env}: the S3 lock file ${lockPath ? `s3://${lockPath}.tflock` : '<state key>.tflock'} exists (a parallel apply of the same environment?). Wait for it and retry.`,
      `        If no run is active (a killed process left it behind), clear the stale lock: mwaa-gitops unlock ${env}`,
      `        (it shows the lock's holder and age and asks before removing it).`,
    ].join('\n');
  }
  if (/Error acquiring the state lock|state lock/i.test(message)) {
    const id = /ID:\s+([0-9a-f-]{36})/i.exec(message)?.[1];
    return [
      `  hint: another run holds the state lock of ${env} (a parallel apply of the same environment?). Wait for it and retry.`,
      `        If no run is active (a killed process), release it: terraform -chdir=cdktf.out/stacks/${env} force-unlock ${id ?? '<lock id>'}`,
    ].join('\n');
  }
  return undefined;
}

/** `message` with its recovery hint, if one applies. */
export function withRecoveryHint(env: string, message: string): string {
  const hint = recoveryHint(env, message);
  return hint ? `${message}\n${hint}` : message;
}
