/**
 * The parse cache on disk, shared by the tool's processes: a CI job runs `validate`, `affected` and `diff` one after
 * the other over the same files, and each used to parse every spec again (YAML parsing is most of their time at
 * hundreds of environments). A parse is stored under the SHA-256 of the text it came from, so an edited file is new
 * text and can never be served an old parse; the store's file name carries a fingerprint of the parser (the tool's
 * version, the `yaml` library's version and the code of the parsing modules), so a changed parser never reads
 * another parser's results.
 *
 * Where: `$MWAA_GITOPS_CACHE_DIR`, else `$XDG_CACHE_HOME/mwaa-gitops`, else `~/.cache/mwaa-gitops` (never inside the
 * repository, where a pull request could commit a store whose entries do not match their texts).
 * `MWAA_GITOPS_CACHE=off` turns it off. Only the process entry point (bin/mwaa-gitops) turns it on; a failure to read
 * or write it is never an error (the tool parses as it would without it).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** One stored parse: the document's data and the positions of its values and keys (`[path, line, column]`). */
export interface StoredParse {
  data: unknown;
  positions: Array<[string, number, number]>;
  keyPositions: Array<[string, number, number]>;
}

interface StoreFile {
  format: 1;
  fingerprint: string;
  entries: Record<string, StoredParse>;
}

/** Entries kept in the file; beyond it the oldest (in file order) are dropped when a process saves. */
const STORE_MAX_ENTRIES = 5000;

let dir: string | undefined;
let fingerprint: string | undefined;
let loaded: Map<string, StoredParse> | undefined;
const added = new Map<string, StoredParse>();

/** The store's directory from the environment, or undefined when the store is off. */
export function storeDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (/^(off|0|false|no)$/i.test(env.MWAA_GITOPS_CACHE ?? '')) return undefined;
  if (env.MWAA_GITOPS_CACHE_DIR) return path.resolve(env.MWAA_GITOPS_CACHE_DIR);
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'mwaa-gitops');
  const home = env.HOME || os.homedir();
  return home ? path.join(home, '.cache', 'mwaa-gitops') : undefined;
}

/**
 * What the stored parses depend on: the parsing code (these modules' compiled files), the `yaml` and `js-yaml`
 * libraries' versions and the tool's version.
 */
function parserFingerprint(codeFiles: string[], toolVersion: string): string {
  const h = createHash('sha256');
  for (const f of codeFiles) h.update(fs.readFileSync(f));
  h.update(String((require('yaml/package.json') as { version: string }).version));
  h.update(String((require('js-yaml/package.json') as { version: string }).version));
  h.update(toolVersion);
  return h.digest('hex').slice(0, 16);
}

/**
 * Turns the store on for this process (the CLI entry point), for parses made by `codeFiles` (the parser's modules)
 * of tool version `toolVersion`.
 * Returns whether it is on.
 */
export function enableParseStore(codeFiles: string[], toolVersion: string, env: NodeJS.ProcessEnv = process.env): boolean {
  dir = storeDir(env);
  if (!dir) return false;
  try {
    fingerprint = parserFingerprint(codeFiles, toolVersion);
  } catch {
    dir = undefined;
    return false;
  }
  loaded = undefined;
  added.clear();
  return true;
}

/** Turns the store off (tests). */
export function disableParseStore(): void {
  dir = undefined;
  fingerprint = undefined;
  loaded = undefined;
  added.clear();
}

const storeFile = () => path.join(dir!, `parse-${fingerprint}.json`);

function readStore(): Map<string, StoredParse> {
  try {
    const doc = JSON.parse(fs.readFileSync(storeFile(), 'utf8')) as StoreFile;
    if (doc && doc.format === 1 && doc.fingerprint === fingerprint && doc.entries && typeof doc.entries === 'object') return new Map(Object.entries(doc.entries));
  } catch {
    /* no store yet, or unreadable: parse as without one */
  }
  return new Map();
}

let lastText: string | undefined;
let lastKey = '';
/** The store's key of a text: its SHA-256 (the last one remembered: a miss looks it up, then stores under it). */
export function textKey(text: string): string {
  if (text !== lastText) {
    lastKey = createHash('sha256').update(text).digest('hex');
    lastText = text;
  }
  return lastKey;
}

/** The stored parse of `text`, if the store is on and holds one. */
export function storedParse(text: string): StoredParse | undefined {
  if (!dir) return undefined;
  loaded ??= readStore();
  const key = textKey(text);
  return added.get(key) ?? loaded.get(key);
}

/** Keeps a parse for the next process (written by {@link saveParseStore}). Data must survive JSON: see jsonExact. */
export function storeParse(text: string, parse: StoredParse): void {
  if (!dir || !jsonExact(parse.data)) return;
  added.set(textKey(text), parse);
}

/** Whether JSON.stringify -> JSON.parse gives the value back exactly (no NaN, Infinity, -0, undefined, ...). */
function jsonExact(v: unknown, depth = 0): boolean {
  if (depth > 256) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every((x) => jsonExact(x, depth + 1));
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.keys(v as object).every((k) => jsonExact((v as Record<string, unknown>)[k], depth + 1));
  }
  return false;
}

/**
 * Writes this process's new parses into the store (merged with what other processes wrote meanwhile; a temporary
 * file renamed into place, so a reader never sees half a file). Never throws. Returns the number of entries written.
 */
export function saveParseStore(): number {
  if (!dir || added.size === 0) return 0;
  try {
    const merged = readStore();
    for (const [k, v] of added) {
      merged.delete(k);
      merged.set(k, v);
    }
    const keys = [...merged.keys()];
    const entries: Record<string, StoredParse> = {};
    for (const k of keys.slice(Math.max(0, keys.length - STORE_MAX_ENTRIES))) entries[k] = merged.get(k)!;
    fs.mkdirSync(dir, { recursive: true });
    const file = storeFile();
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ format: 1, fingerprint: fingerprint!, entries } satisfies StoreFile));
    fs.renameSync(tmp, file);
    // stores of other parser versions unused for a week (another version may be in use beside this one: a second
    // repository, a development build; removing its store each time would make both parse everything)
    const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
    for (const f of fs.readdirSync(dir)) {
      if (!/^parse-[0-9a-f]{16}\.json$/.test(f) || path.join(dir, f) === file) continue;
      const st = fs.statSync(path.join(dir, f), { throwIfNoEntry: false });
      if (st && st.mtimeMs < weekAgo) fs.rmSync(path.join(dir, f), { force: true });
    }
    const n = added.size;
    added.clear();
    loaded = undefined;
    return n;
  } catch {
    return 0;
  }
}
