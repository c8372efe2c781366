/**
 * The S3 state of an environment as the tool reads it directly (AWS SDK), beside Terraform:
 *  - the native lock file Terraform writes with `use_lockfile = true`: `s3://<bucket>/<key>.tflock`, a JSON LockInfo
 *    (ID, Operation, Who, Version, Created, Path, Info), created with a conditional write (`If-None-Match: *`) so a
 *    second run gets 412 PreconditionFailed while it exists;
 *  - the state bucket's versioning (GetBucketVersioning): without it a damaged state cannot be rolled back.
 *
 * Credentials and region are the caller's (the default AWS chain, the spec's `state.region`), the same ones Terraform's
 * backend uses. A test/emulator target's `s3_backend` arguments (src/synth.ts) redirect the client like the backend.
 */
import { GetBucketVersioningCommand, GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export interface S3StateLocation {
  bucket: string;
  key: string;
  region: string;
}

/** Terraform's LockInfo (internal/states/statemgr/locker.go), as written into the lock file. */
export interface LockInfo {
  ID: string;
  Operation?: string;
  Info?: string;
  Who?: string;
  Version?: string;
  Created?: string;
  Path?: string;
}

/** The S3 key of the native lock file (default workspace). */
export function lockKey(state: S3StateLocation): string {
  return `${state.key}.tflock`;
}

/** An S3 client for the state bucket; `backendTarget`: the target file's `s3_backend` arguments (tests only). */
export function stateS3Client(state: S3StateLocation, backendTarget?: Record<string, unknown>): S3Client {
  const config: S3ClientConfig = { region: state.region };
  const t = backendTarget ?? {};
  const endpoints = t.endpoints as Record<string, string> | undefined;
  if (endpoints?.s3) config.endpoint = endpoints.s3;
  if (t.use_path_style === true) config.forcePathStyle = true;
  if (typeof t.access_key === 'string' && typeof t.secret_key === 'string') {
    config.credentials = { accessKeyId: t.access_key, secretAccessKey: t.secret_key };
  }
  return new S3Client(config);
}

/** The lock held on the state, or undefined when none is (no lock file). */
export async function readLock(client: S3Client, state: S3StateLocation): Promise<LockInfo | undefined> {
  try {
    const r = await client.send(new GetObjectCommand({ Bucket: state.bucket, Key: lockKey(state) }));
    const text = (await r.Body?.transformToString()) ?? '';
    const info = JSON.parse(text) as LockInfo;
    if (!info || typeof info.ID !== 'string') throw new Error(`s3://${state.bucket}/${lockKey(state)} is not a Terraform lock file`);
    return info;
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'NoSuchKey' || name === 'NotFound') return undefined;
    throw e;
  }
}

/** How long ago `created` (RFC 3339) was, for people: `3h 12m`, `45s`. */
export function ageOf(created: string | undefined, now: Date = new Date()): string {
  const t = created ? Date.parse(created) : NaN;
  if (Number.isNaN(t)) return 'unknown';
  let s = Math.max(0, Math.floor((now.getTime() - t) / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

/** The lock as people read it: where, who, what, since when. */
export function describeLock(state: S3StateLocation, lock: LockInfo, now: Date = new Date()): string {
  return [
    `  lock file: s3://${state.bucket}/${lockKey(state)}`,
    `  ID:        ${lock.ID}`,
    `  Who:       ${lock.Who ?? 'unknown'}`,
    `  Operation: ${lock.Operation ?? 'unknown'}`,
    `  Created:   ${lock.Created ?? 'unknown'} (${ageOf(lock.Created, now)} ago)`,
    ...(lock.Version ? [`  Terraform: ${lock.Version}`] : []),
    ...(lock.Info ? [`  Info:      ${lock.Info}`] : []),
  ].join('\n');
}

/** `Enabled`, `Suspended` or `Off` (never enabled); `unknown` when the caller may not read it (access denied). */
export type VersioningStatus = 'Enabled' | 'Suspended' | 'Off' | 'unknown';

export async function bucketVersioning(client: S3Client, bucket: string): Promise<VersioningStatus> {
  try {
    const r = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    return r.Status === 'Enabled' ? 'Enabled' : r.Status === 'Suspended' ? 'Suspended' : 'Off';
  } catch (e) {
    const name = (e as { name?: string }).name ?? '';
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    // The plan role may not have s3:GetBucketVersioning: say nothing rather than guess.
    if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403) return 'unknown';
    throw e;
  }
}

/** The warning for a state bucket without versioning, or undefined (versioned, or not visible to this role). */
export function versioningWarning(env: string, bucket: string, status: VersioningStatus): string | undefined {
  if (status === 'Enabled' || status === 'unknown') return undefined;
  return (
    `warning: ${env}: the state bucket ${bucket} has versioning ${status === 'Off' ? 'off' : 'suspended'}: a damaged or ` +
    `overwritten state cannot be rolled back to an earlier version. Turn it on: ` +
    `aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled`
  );
}
