/**
 * Reads the artifact side files for the loader (src/spec/load.ts): requirements.txt (text, parsed), plugins.zip
 * (central directory only, via adm-zip; nothing is extracted) and the startup script (text, plus `bash -n`).
 * Each file is read once per process: results are cached by path, size and modification time, so 300
 * environments sharing one requirements.txt parse it once.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import type AdmZipType from 'adm-zip';
import { artifactFacts } from '../rules/data';
import type { ArtifactFiles, PluginsArchive, RequirementsFile, ShellSyntaxCheck, StartupScriptFile, UnreadableText, ZipEntry } from './model';
import { parseRequirementsText } from './requirements';
import { parseWheelName } from './wheel';

const cache = new Map<string, unknown>();

/** adm-zip, loaded on first use (only environments with a plugins.zip need it). */
function admZip(): typeof AdmZipType {
  return require('adm-zip') as typeof AdmZipType;
}

function cached<T>(kind: string, file: string, read: (st: fs.Stats) => T): T {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return read({ size: 0, mtimeMs: 0 } as fs.Stats);
  }
  const key = `${kind}|${file}|${st.size}|${st.mtimeMs}|${st.ino}`;
  if (!cache.has(key)) cache.set(key, read(st));
  return cache.get(key) as T;
}

function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Read a text artifact: undefined text with a reason when it is too large, binary or not UTF-8. */
export function readText(file: string, maxBytes = artifactFacts().requirements.maxTextBytes): { text?: string; buf: Buffer; unreadable?: UnreadableText } {
  let buf: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.size > maxBytes) return { buf: Buffer.alloc(0), unreadable: { reason: 'too-large', detail: `${st.size} bytes, over the ${maxBytes}-byte limit for text artifacts` } };
    buf = fs.readFileSync(file);
  } catch (err) {
    return { buf: Buffer.alloc(0), unreadable: { reason: 'io', detail: (err as Error).message } };
  }
  if (buf.includes(0)) return { buf, unreadable: { reason: 'binary', detail: 'the file contains NUL bytes (binary, or UTF-16)' } };
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { text, buf };
  } catch {
    return { buf, unreadable: { reason: 'not-utf8', detail: 'the file is not valid UTF-8' } };
  }
}

export function readRequirements(file: string): RequirementsFile {
  return cached('requirements', file, () => {
    const r = readText(file);
    const base = { file, sha256: sha256(r.buf), size: r.buf.length };
    if (r.text === undefined) return { ...base, unreadable: r.unreadable, lines: [], lineCount: 0 };
    return { ...base, ...parseRequirementsText(r.text) };
  });
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** `.py` files larger than this are not opened to look for AirflowPlugin. */
const MAX_PY_INSPECT = 1024 * 1024;

export function readPlugins(file: string): PluginsArchive {
  return cached('plugins', file, (st) => {
    const facts = artifactFacts().plugins;
    const empty: PluginsArchive = { file, size: st.size, sha256: '', entries: [], uncompressedSize: 0, pluginModules: [], wheels: [], badWheelNames: [] };
    if (st.size > facts.maxArchiveBytes) return { ...empty, unreadable: { detail: `the archive is ${st.size} bytes, over the guide's 1 GB limit: its entries were not inspected` } };
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (err) {
      return { ...empty, unreadable: { detail: (err as Error).message } };
    }
    const out: PluginsArchive = { ...empty, size: buf.length, sha256: sha256(buf) };
    let zip: AdmZipType;
    let raw: AdmZipType.IZipEntry[];
    try {
      zip = new (admZip())(buf);
      raw = zip.getEntries();
    } catch (err) {
      return { ...out, unreadable: { detail: `not a readable zip archive (${String((err as Error).message ?? err).replace(/^ADM-ZIP:\s*/, '')})` } };
    }
    for (const e of raw) {
      const madeBy = e.header.made >> 8;
      const unixMode = madeBy === 3 ? (e.header.attr >>> 16) & 0xffff : 0;
      const entry: ZipEntry = {
        name: e.entryName,
        isDirectory: e.isDirectory || (unixMode & S_IFMT) === S_IFDIR,
        isSymlink: (unixMode & S_IFMT) === S_IFLNK,
        size: e.header.size,
        compressedSize: e.header.compressedSize,
      };
      if (unixMode !== 0) entry.mode = unixMode & 0o7777;
      out.entries.push(entry);
      out.uncompressedSize += e.header.size;
      if (entry.isDirectory || entry.isSymlink) continue;
      if (/\.py$/i.test(e.entryName) && e.header.size <= MAX_PY_INSPECT) {
        try {
          if (/\bAirflowPlugin\b/.test(e.getData().toString('utf8'))) out.pluginModules.push(e.entryName);
        } catch {
          /* an entry that cannot be inflated is not inspected */
        }
      }
      if (/\.whl$/i.test(e.entryName)) {
        const w = parseWheelName(e.entryName);
        if (w) out.wheels.push(w);
        else out.badWheelNames.push(e.entryName);
      }
    }
    return out;
  });
}

/** `bash -n` on the script (syntax only, nothing runs); skipped when no bash is on PATH. */
function shellSyntax(file: string, crlf: boolean): ShellSyntaxCheck {
  if (crlf) return { errors: [], skipped: 'the script has Windows line endings; fix those first' };
  const r = spawnSync('bash', ['-n', file], { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return { errors: [], skipped: `bash is not available here (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  const errors: ShellSyntaxCheck['errors'] = [];
  for (const l of (r.stderr ?? '').split('\n')) {
    const m = /line (\d+): (.*)$/.exec(l);
    if (m) errors.push({ line: Number(m[1]), message: m[2].trim() });
  }
  if (r.status !== 0 && errors.length === 0) errors.push({ line: 1, message: (r.stderr ?? '').trim() || `bash -n exited ${r.status}` });
  return { shell: 'bash', errors };
}

export function readStartupScript(file: string): StartupScriptFile {
  return cached('startup', file, () => {
    const r = readText(file);
    const base = { file, size: r.buf.length, sha256: sha256(r.buf) };
    if (r.text === undefined) return { ...base, unreadable: r.unreadable, lines: [], crlfLines: [], syntax: { errors: [], skipped: 'unreadable' } };
    const crlfLines: number[] = [];
    const physical = r.text.split('\n');
    physical.forEach((l, i) => {
      if (l.includes('\r')) crlfLines.push(i + 1);
    });
    const lines = physical.map((l) => l.replace(/\r/g, ''));
    const out: StartupScriptFile = { ...base, lines, crlfLines, syntax: shellSyntax(file, crlfLines.length > 0) };
    if (lines[0]?.startsWith('#!')) out.shebang = lines[0];
    return out;
  });
}

/** Read every artifact named in `paths` (field -> absolute path of an existing file inside the repository). */
export function readArtifactFiles(paths: Record<string, string>): ArtifactFiles {
  const out: ArtifactFiles = {};
  if (paths.requirements) out.requirements = readRequirements(paths.requirements);
  if (paths.plugins) out.plugins = readPlugins(paths.plugins);
  if (paths.startupScript) out.startupScript = readStartupScript(paths.startupScript);
  return out;
}
