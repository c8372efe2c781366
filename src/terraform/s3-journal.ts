/**
 * Kill safety for S3 state. Terraform persists a remote state during apply at most every 20 seconds
 * (TF_STATE_PERSIST_INTERVAL cannot go lower) and at the end; a SIGKILL (OOM, a lost runner) in between leaves the
 * resources it created since the last persist unrecorded: the next apply creates unnamed ones (a VPC, subnets, NAT
 * gateways) a second time and fails on named ones ("already exists"). Measured on the emulators: a first apply killed
 * mid-way recorded nothing in the S3 state while moto held its VPC, subnets, role, policy and log groups.
 *
 * So, while applying an environment with S3 state, the tool keeps a journal beside the state,
 * `s3://<bucket>/<key>.mwaa-gitops-journal.json`: each resource Terraform finished creating, with its id (from
 * `apply_complete`), and each one it started. It is in S3 (not on the runner's disk) so it outlives the runner, and is
 * removed when Terraform ends normally (it has then persisted the whole state). The next plan/apply reads it: every
 * journaled resource that the state does not hold gets a Terraform `import` block with its import id (the plan shows
 * them as imports), so nothing is created twice. The MWAA environment, whose create request can be in flight for
 * 20-30 minutes, is adopted by its name when it exists (the journal, written before Terraform starts, is the evidence
 * of the interrupted run).
 *
 * Left: a resource created in the last moments before the kill, before its journal entry reached S3 (one PutObject,
 * milliseconds), and an unnamed resource whose create call was in flight, are not in the journal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ProgressEvent } from './runner';
import type { S3StateLocation } from './state-s3';

export interface S3ApplyJournal {
  started: string;
  /** Resources Terraform finished creating: address -> id. */
  created: Record<string, string>;
  /** Resources Terraform started creating. */
  begun: string[];
}

export function journalKey(state: S3StateLocation): string {
  return `${state.key}.mwaa-gitops-journal.json`;
}

async function getText(client: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await r.Body?.transformToString()) ?? '';
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
    throw e;
  }
}

export async function readS3Journal(client: S3Client, state: S3StateLocation): Promise<S3ApplyJournal | undefined> {
  const text = await getText(client, state.bucket, journalKey(state));
  if (text === undefined) return undefined;
  try {
    const j = JSON.parse(text) as S3ApplyJournal;
    return { started: j.started, created: j.created ?? {}, begun: j.begun ?? [] };
  } catch {
    return undefined;
  }
}

/** Managed resources recorded in the S3 state (with an instance): address -> id. */
export async function recordedIds(client: S3Client, state: S3StateLocation): Promise<Map<string, string>> {
  const text = await getText(client, state.bucket, state.key);
  const out = new Map<string, string>();
  if (!text) return out;
  const s = JSON.parse(text) as { resources?: Array<{ mode: string; type: string; name: string; instances?: Array<{ attributes?: { id?: unknown } }> }> };
  for (const r of s.resources ?? []) {
    const i = r.instances?.[0];
    if (r.mode === 'managed' && i) out.set(`${r.type}.${r.name}`, String(i.attributes?.id ?? ''));
  }
  return out;
}

export interface JournalWriter {
  record(e: ProgressEvent): void;
  /**
   * Terraform ended on its own (it persisted the whole state): the journal is removed, unless `keep` (a run that never
   * got the lock must not remove the journal of the killed run that holds it).
   */
  finish(keep?: boolean): Promise<void>;
}

/** Starts the journal of one apply; keeps what an earlier killed run journaled and this state still lacks. */
export async function startS3Journal(client: S3Client, state: S3StateLocation): Promise<JournalWriter> {
  const previous = await readS3Journal(client, state).catch(() => undefined);
  const j: S3ApplyJournal = { started: new Date().toISOString(), created: { ...(previous?.created ?? {}) }, begun: [...(previous?.begun ?? [])] };
  let chain: Promise<void> = Promise.resolve();
  let dirty = false;
  const flush = () => {
    if (dirty) return;
    dirty = true;
    chain = chain.then(async () => {
      dirty = false;
      await client.send(new PutObjectCommand({ Bucket: state.bucket, Key: journalKey(state), Body: JSON.stringify(j), ContentType: 'application/json' })).catch(() => undefined);
    });
  };
  flush();
  await chain;
  return {
    record(e: ProgressEvent): void {
      if (e.action !== 'create' && e.action !== 'replace') return;
      if (e.phase === 'start' && !j.begun.includes(e.address)) {
        j.begun.push(e.address);
        flush();
      } else if (e.phase === 'complete' && e.id) {
        j.created[e.address] = e.id;
        flush();
      }
    },
    async finish(keep = false): Promise<void> {
      await chain;
      if (keep) return;
      await client.send(new DeleteObjectCommand({ Bucket: state.bucket, Key: journalKey(state) })).catch(() => undefined);
    },
  };
}

type TfJson = { resource?: Record<string, Record<string, Record<string, unknown>>>; import?: Array<{ to: string; id: string }> };

/**
 * The import id of a journaled resource: its id for most types; the types whose import id is composite are built from
 * the configuration (references resolved through `idOf`, the ids known from the state or the journal).
 */
export function importIdOf(address: string, id: string, config: Record<string, unknown>, idOf: (ref: unknown) => string | undefined): string | undefined {
  const type = address.split('.')[0];
  switch (type) {
    case 'aws_route': {
      const rtb = idOf(config.route_table_id);
      const dest = config.destination_cidr_block ?? config.destination_ipv6_cidr_block ?? config.destination_prefix_list_id;
      return rtb && typeof dest === 'string' ? `${rtb}_${dest}` : undefined;
    }
    case 'aws_route_table_association': {
      const subnet = idOf(config.subnet_id) ?? idOf(config.gateway_id);
      const rtb = idOf(config.route_table_id);
      return subnet && rtb ? `${subnet}/${rtb}` : undefined;
    }
    case 'aws_iam_role_policy_attachment': {
      const role = idOf(config.role);
      const arn = idOf(config.policy_arn);
      return role && arn ? `${role}/${arn}` : undefined;
    }
    case 'aws_s3_object': {
      const bucket = idOf(config.bucket);
      return bucket && typeof config.key === 'string' ? `${bucket}/${config.key}` : undefined;
    }
    default:
      return id;
  }
}

/** `${aws_x.y.id}` / `.name` / `.arn` / `.bucket` -> the known id of aws_x.y (these are its id for the types used); a literal is itself. */
function resolver(known: Record<string, string>): (ref: unknown) => string | undefined {
  return (ref) => {
    if (typeof ref !== 'string') return undefined;
    const m = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.(id|name|arn|bucket)\}$/.exec(ref);
    if (m) return known[m[1]];
    return ref.includes('${') ? undefined : ref;
  };
}

export interface Adoption {
  /** address -> import id */
  imports: Record<string, string>;
  /** journaled resources not in the state whose import id could not be built (named in the note) */
  unresolved: string[];
}

/** What to adopt: journaled creations the state lacks, with their import ids, against the synthesized configuration. */
export function adoptionOf(journal: S3ApplyJournal, recorded: ReadonlyMap<string, string>, tf: TfJson, mwaaExisting: ReadonlySet<string>, compositeExisting: Readonly<Record<string, string>> = {}): Adoption {
  const imports: Record<string, string> = {};
  const unresolved: string[] = [];
  const idOf = resolver({ ...Object.fromEntries(recorded), ...journal.created });
  const configOf = (address: string) => {
    const [type, name] = address.split('.');
    return tf.resource?.[type]?.[name];
  };
  for (const [address, id] of Object.entries(journal.created)) {
    if (recorded.has(address)) continue;
    const config = configOf(address);
    if (!config) continue; // no longer in the configuration: nothing to adopt into
    const importId = importIdOf(address, id, config, idOf);
    if (importId) imports[address] = importId;
    else unresolved.push(address);
  }
  // The MWAA environment: a create request in flight when the run was killed; adopted by name when it exists.
  for (const [n, config] of Object.entries(tf.resource?.aws_mwaa_environment ?? {})) {
    const address = `aws_mwaa_environment.${n}`;
    if (recorded.has(address) || imports[address]) continue;
    if (typeof config.name === 'string' && mwaaExisting.has(config.name)) imports[address] = config.name;
  }
  // Begun, not recorded, found in AWS (compositeInFlight, checked by the caller): adopted by their composite import id.
  for (const [address, importId] of Object.entries(compositeExisting)) if (!recorded.has(address) && !imports[address]) imports[address] = importId;
  return { imports, unresolved };
}

/**
 * Names of the MWAA environments the configuration has, the state does not record and the journal has no id for: a
 * create request that may have been in flight when the run was killed (the journal's `begun` write can lose that race;
 * the journal's existence is the evidence of an interrupted apply). The caller checks which exist.
 */
export function mwaaInFlight(journal: S3ApplyJournal, recorded: ReadonlyMap<string, string>, tf: TfJson): string[] {
  return Object.entries(tf.resource?.aws_mwaa_environment ?? {})
    .filter(([n]) => !recorded.has(`aws_mwaa_environment.${n}`) && !journal.created[`aws_mwaa_environment.${n}`])
    .map(([, c]) => c.name)
    .filter((n): n is string => typeof n === 'string');
}

/** The resource types whose import id is built from the configuration alone (see importIdOf): adoptable by existence. */
export const COMPOSITE_ID_TYPES = ['aws_route', 'aws_route_table_association', 'aws_iam_role_policy_attachment', 'aws_s3_object'] as const;

/**
 * Resources of COMPOSITE_ID_TYPES whose creation had begun (journal `begun`) when the run was killed, that neither the
 * state nor the journal's `created` records: the create request may have reached AWS before the kill (e.g. a route is
 * created, then read back until visible, and only then completes). Their import ids are built from the configuration
 * and the known ids; the caller checks which exist and adopts those (adoptionOf's `existing`).
 */
export function compositeInFlight(journal: S3ApplyJournal, recorded: ReadonlyMap<string, string>, tf: TfJson): Record<string, string> {
  const idOf = resolver({ ...Object.fromEntries(recorded), ...journal.created });
  const out: Record<string, string> = {};
  for (const address of journal.begun) {
    const [type, name] = address.split('.');
    if (!(COMPOSITE_ID_TYPES as readonly string[]).includes(type)) continue;
    if (recorded.has(address) || journal.created[address]) continue;
    const config = tf.resource?.[type]?.[name];
    if (!config) continue;
    const importId = importIdOf(address, '', config, idOf);
    if (importId) out[address] = importId;
  }
  return out;
}

export function readTfJson(stackDir: string): TfJson {
  return JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as TfJson;
}

/** Adds `import` blocks to a synthesized cdk.tf.json (addresses already imported there are left as they are). */
export function addImportBlocks(stackDir: string, imports: Record<string, string>): void {
  const file = path.join(stackDir, 'cdk.tf.json');
  const tf = JSON.parse(fs.readFileSync(file, 'utf8')) as TfJson;
  const have = new Set((tf.import ?? []).map((i) => i.to));
  tf.import = [...(tf.import ?? []), ...Object.entries(imports).filter(([to]) => !have.has(to)).map(([to, id]) => ({ to, id }))];
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(tf, null, 2));
  fs.renameSync(tmp, file);
}
