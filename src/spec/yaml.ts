/**
 * One YAML file -> plain data + positions of every key and value, or findings.
 * YAML 1.2 core schema; duplicate keys are errors; alias expansion is bounded; files over 1 MB
 * and binary files are refused before parsing.
 */
import * as fs from 'fs';
import type { Node } from 'yaml';
import type { Finding } from '../findings';
import { storedParse, storeParse, type StoredParse } from './parse-store';
import { joinPath, type PositionMap } from './positions';
import { parseSimpleYaml } from './yaml-events';

export const MAX_SPEC_BYTES = 1024 * 1024;

/** The modules whose code decides what a parse returns: the parse store's fingerprint (src/spec/parse-store.ts). */
export const PARSER_FILES: readonly string[] = [__filename, require.resolve('./positions'), require.resolve('./yaml-events')];
/** Aliases (`*name`) allowed per document; a spec never needs many, alias bombs need thousands. */
export const MAX_ALIAS_COUNT = 50;

export interface ParsedYaml {
  file: string;
  /** The document's value (undefined when parsing failed). */
  data?: unknown;
  positions: PositionMap;
  keyPositions: PositionMap;
  findings: Finding[];
}

function finding(file: string, ruleId: string, message: string, fix: string, line = 1, column = 1, path = ''): Finding {
  return { ruleId, severity: 'error', message, fix, file, line, column, path };
}

/** Read a spec file from disk with the size and binary guards. */
export function readSpecFile(file: string, shownAs: string = file): { text?: string; findings: Finding[] } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { findings: [finding(file, 'SPEC-FILE-NOT-FOUND', `${shownAs} does not exist`, 'Check the file name or environment name (see `ls environments/`).')] };
  }
  if (!stat.isFile()) {
    return { findings: [finding(file, 'SPEC-FILE-NOT-FOUND', `${shownAs} is not a regular file`, 'Point at a .yaml file.')] };
  }
  if (stat.size > MAX_SPEC_BYTES) {
    return {
      findings: [
        finding(file, 'SPEC-FILE-TOO-LARGE', `${shownAs} is ${stat.size} bytes; specs are limited to ${MAX_SPEC_BYTES} bytes (1 MB)`, 'A spec describes one environment in a few dozen lines; move data out of it.'),
      ],
    };
  }
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    return { findings: [finding(file, 'SPEC-FILE-NOT-FOUND', `${shownAs} cannot be read: ${(err as Error).message}`, 'Check the file permissions.')] };
  }
  return checkText(file, buf.toString('utf8'), buf.includes(0));
}

/** The size and binary guards for text that did not come from disk. */
export function checkText(file: string, text: string, hasNul = text.includes('\u0000')): { text?: string; findings: Finding[] } {
  if (Buffer.byteLength(text, 'utf8') > MAX_SPEC_BYTES) {
    return { findings: [finding(file, 'SPEC-FILE-TOO-LARGE', `${file} is larger than 1 MB`, 'A spec describes one environment in a few dozen lines; move data out of it.')] };
  }
  if (hasNul) {
    const idx = text.indexOf('\u0000');
    const before = text.slice(0, Math.max(0, idx));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return { findings: [finding(file, 'SPEC-BINARY', `${file} contains a NUL byte: it is a binary file, not YAML`, 'Specs are UTF-8 YAML text files.', line, column)] };
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, findings: [] };
}

const YAML_FIXES: Record<string, string> = {
  DUPLICATE_KEY: 'Remove one of the two keys; YAML keys must be unique within a mapping.',
  TAB_AS_INDENT: 'Indent with spaces, not tabs.',
  MULTIPLE_DOCS: 'Put one environment per file (remove the `---` separator).',
  BAD_INDENT: 'Align the key with its siblings.',
  MISSING_CHAR: 'Close the quote or bracket.',
};

/**
 * Parsed texts of this process, keyed by the text itself (not by path or time: an edited file is new text, so it can
 * never be served a stale parse; the same text under another path, e.g. the base tree `diff` extracts into a
 * temporary directory, reuses the parse with its own file name). Only clean parses are kept, and only of documents
 * without aliases (an alias makes toJS share one object between two places, which a copy would not reproduce).
 * Each caller gets its own copy of the data and of the position maps: the loader merges and defaults in place.
 */
type ParseTemplate = StoredParse;

const PARSE_CACHE = new Map<string, ParseTemplate>();
/** Bounds for a long-lived process (tests, an editor): dropped wholesale beyond them. */
const PARSE_CACHE_MAX_ENTRIES = 5000;
const PARSE_CACHE_MAX_CHARS = 64 * 1024 * 1024;
let parseCacheChars = 0;
const parseCacheCounters = { hits: 0, storeHits: 0, misses: 0 };

/**
 * Hits (this process's parses), store hits (another process's, from the parse store) and misses (parsed) since the
 * start of the process (or the last clear); for tests and the bench.
 */
export function parseCacheStats(): { hits: number; storeHits: number; misses: number; entries: number } {
  return { ...parseCacheCounters, entries: PARSE_CACHE.size };
}

export function clearParseCache(): void {
  PARSE_CACHE.clear();
  parseCacheChars = 0;
  parseCacheCounters.hits = 0;
  parseCacheCounters.storeHits = 0;
  parseCacheCounters.misses = 0;
}

/** A deep copy of parsed YAML data (plain objects, arrays, scalars); undefined when it holds anything else. */
function copyData(v: unknown): { ok: boolean; value: unknown } {
  if (v === null || typeof v !== 'object') return { ok: true, value: v };
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = copyData(v[i]);
      if (!c.ok) return c;
      out[i] = c.value;
    }
    return { ok: true, value: out };
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return { ok: false, value: undefined };
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const c = copyData((v as Record<string, unknown>)[k]);
    if (!c.ok) return c;
    // as an own data property, so a `__proto__` key stays data (as toJS made it)
    Object.defineProperty(out, k, { value: c.value, writable: true, enumerable: true, configurable: true });
  }
  return { ok: true, value: out };
}

function fromTemplate(file: string, t: ParseTemplate): ParsedYaml {
  const positions: PositionMap = new Map();
  const keyPositions: PositionMap = new Map();
  for (const [p, line, column] of t.positions) positions.set(p, { file, line, column });
  for (const [p, line, column] of t.keyPositions) keyPositions.set(p, { file, line, column });
  return { file, data: copyData(t.data).value, positions, keyPositions, findings: [] };
}

/** Parse YAML text into data and positions. Never throws. Each call returns data and maps of its own. */
export function parseYaml(file: string, text: string): ParsedYaml {
  const hit = PARSE_CACHE.get(text);
  if (hit) {
    parseCacheCounters.hits++;
    return fromTemplate(file, hit);
  }
  // another process's parse of the same text (src/spec/parse-store.ts; on only in the CLI process)
  const stored = text.length <= MAX_SPEC_BYTES ? storedParse(text) : undefined;
  if (stored) {
    parseCacheCounters.storeHits++;
    remember(text, stored);
    return fromTemplate(file, stored);
  }
  parseCacheCounters.misses++;
  // the plain subset most specs are written in, read by js-yaml's event parser (src/spec/yaml-events.ts); `yaml` below
  // for everything else
  const simple = text.length <= MAX_SPEC_BYTES ? parseSimpleYaml(text) : undefined;
  if (simple) {
    remember(text, simple);
    storeParse(text, simple);
    return fromTemplate(file, simple);
  }
  const parsed = parseYamlText(file, text);
  if (parsed.findings.length === 0 && !parsed.noCache && text.length <= MAX_SPEC_BYTES) {
    const copy = copyData(parsed.data);
    if (copy.ok) {
      const template: ParseTemplate = {
        data: copy.value,
        positions: [...parsed.positions].map(([p, at]) => [p, at.line, at.column]),
        keyPositions: [...parsed.keyPositions].map(([p, at]) => [p, at.line, at.column]),
      };
      remember(text, template);
      storeParse(text, template);
    }
  }
  return { file: parsed.file, data: parsed.data, positions: parsed.positions, keyPositions: parsed.keyPositions, findings: parsed.findings };
}

function remember(text: string, template: ParseTemplate): void {
  if (PARSE_CACHE.size >= PARSE_CACHE_MAX_ENTRIES || parseCacheChars + text.length > PARSE_CACHE_MAX_CHARS) clearParseCache();
  PARSE_CACHE.set(text, template);
  parseCacheChars += text.length;
}

/** The `yaml` library's parse, uncached (parseYaml's path for what src/spec/yaml-events.ts does not answer; and tests). */
export function parseYamlText(file: string, text: string): ParsedYaml & { noCache?: boolean } {
  // loaded on first use: a process whose parses all come from the store or the fast path never needs it (~0.1 s)
  const { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } = require('yaml') as typeof import('yaml');
  let noCache = false;
  const positions: PositionMap = new Map();
  const keyPositions: PositionMap = new Map();
  const findings: Finding[] = [];
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): { line: number; column: number } => {
    if (typeof offset !== 'number' || offset < 0) return { line: 1, column: 1 };
    const p = lineCounter.linePos(offset);
    return { line: Math.max(1, p.line), column: Math.max(1, p.col) };
  };
  let doc;
  try {
    // logLevel 'error': nothing the library would print as a Node process warning reaches the user's terminal
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, version: '1.2', merge: false, strict: true, logLevel: 'error' });
  } catch (err) {
    if (err instanceof RangeError) {
      // the parser recursed past the stack: brackets or indentation nested thousands deep
      findings.push(finding(file, 'YAML-SYNTAX', 'YAML is nested too deeply to parse (thousands of levels of brackets or indentation)', 'A spec is a few levels deep; remove the runaway nesting.'));
      return { file, positions, keyPositions, findings };
    }
    findings.push(finding(file, 'YAML-SYNTAX', `YAML could not be parsed: ${(err as Error).message}`, 'Fix the YAML syntax.'));
    return { file, positions, keyPositions, findings };
  }
  // An unclosed flow collection (`{` or `[` never closed) makes the parser report the line after it, several times,
  // with indentation wording. Report it once, at the opening bracket, and drop the errors that follow from it.
  const unclosed = doc.errors.find((e) => /^Flow (map|sequence) .*end with an? [}\]]/.test(e.message));
  const opener = unclosed ? unclosedOpener(text, unclosed.pos?.[0] ?? text.length) : undefined;
  if (opener) {
    const { line, column } = at(opener.offset);
    const kind = opener.char === '{' ? 'mapping' : 'sequence';
    const close = opener.char === '{' ? '}' : ']';
    const lineText = text.slice(text.lastIndexOf('\n', opener.offset - 1) + 1, opener.offset);
    const key = /([^\s:{[,]+)\s*:\s*$/.exec(lineText)?.[1];
    const path = key ? keyPathAt(text, opener.offset, key) : '';
    findings.push(
      finding(
        file,
        'YAML-SYNTAX',
        `\`${opener.char}\` opens a flow ${kind}${key ? ` (the value of \`${key}\`)` : ''} that is never closed`,
        `Close the flow ${kind} with \`${close}\` after its last entry (e.g. \`${opener.char === '{' ? '{ min: 1, max: 5 }' : '[a, b]'}\`), or write it as an indented block ${kind}.`,
        line,
        column,
        path,
      ),
    );
    for (const e of doc.errors) {
      // errors before the bracket are independent of it; everything after it follows from the missing bracket
      if ((e.pos?.[0] ?? 0) >= opener.offset) continue;
      const p = at(e.pos?.[0]);
      findings.push(finding(file, e.code === 'DUPLICATE_KEY' ? 'YAML-DUPLICATE-KEY' : 'YAML-SYNTAX', e.message.split('\n')[0], YAML_FIXES[e.code] ?? 'Fix the YAML syntax at this position.', p.line, p.column));
    }
    findings.sort((a, b) => a.line - b.line || a.column - b.column);
    return { file, positions, keyPositions, findings };
  }
  for (const e of doc.errors) {
    const { line, column } = at(e.pos?.[0]);
    const ruleId = e.code === 'DUPLICATE_KEY' ? 'YAML-DUPLICATE-KEY' : 'YAML-SYNTAX';
    let message = e.message.split('\n')[0];
    if (e.code === 'DUPLICATE_KEY') {
      const m = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(text.slice(e.pos[0], e.pos[0] + 200));
      const key = (m ? m[1] : text.slice(e.pos[0], e.pos[1])).trim();
      message = `duplicate key \`${key}\`: YAML keys must be unique within a mapping`;
    }
    findings.push(finding(file, ruleId, message, YAML_FIXES[e.code] ?? 'Fix the YAML syntax at this position.', line, column));
  }
  if (findings.length > 0) return { file, positions, keyPositions, findings };
  // A sequence or mapping used as a key (`? [a, b]`, `[a, b]: 1`) is YAML without a JSON equivalent: `yaml` would turn
  // it into a string and print a Node process warning. It is the spec's error, at the key.
  visit(doc, {
    Pair(_, pair) {
      const k = pair.key as Node | null;
      if (!isMap(k) && !isSeq(k)) return;
      const p = at(k.range?.[0]);
      const written = text.slice(k.range?.[0] ?? 0, k.range?.[1] ?? 0).trim().split('\n')[0].slice(0, 60);
      findings.push(finding(file, 'YAML-SYNTAX', `a ${isMap(k) ? 'mapping' : 'sequence'} is used as a key (\`${written}\`): a spec's keys are strings`, 'Write the key as a plain string (e.g. `name:`), or move the collection under a key as its value.', p.line, p.column));
    },
  });
  if (findings.length > 0) return { file, positions, keyPositions, findings };

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    if (/alias/i.test(msg) && /excessive|resource exhaustion/i.test(msg)) {
      findings.push(finding(file, 'YAML-ALIAS-LIMIT', `too many alias expansions (limit ${MAX_ALIAS_COUNT}): ${msg}`, 'Write the values out instead of nesting YAML anchors and aliases.'));
    } else {
      const alias = /alias/i.test(msg);
      findings.push(finding(file, alias ? 'YAML-ALIAS-LIMIT' : 'YAML-SYNTAX', `YAML could not be converted: ${msg}`, alias ? 'Define each anchor (&name) before its alias (*name).' : 'Fix the YAML syntax.'));
    }
    return { file, positions, keyPositions, findings };
  }

  const walk = (node: unknown, path: string, depth: number): void => {
    if (node === null || node === undefined) return;
    if (depth > 64) {
      noCache = true; // not walked, so an alias down there would go unseen
      return;
    }
    const n = node as Node;
    if (n.range) positions.set(path, { file, ...at(n.range[0]) });
    if (isMap(n)) {
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const k = pair.key as Node | null;
        let keyStr: string;
        if (isScalar(k)) keyStr = String(k.value);
        else if (k === null || k === undefined) keyStr = '';
        else keyStr = String((k as unknown as { toJSON?: () => unknown }).toJSON?.() ?? '');
        const childPath = joinPath(path, keyStr);
        if (k && (k as Node).range) keyPositions.set(childPath, { file, ...at((k as Node).range![0]) });
        if (pair.value !== null && pair.value !== undefined) walk(pair.value, childPath, depth + 1);
        else if (k && (k as Node).range) positions.set(childPath, { file, ...at((k as Node).range![0]) });
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => walk(item, joinPath(path, i), depth + 1));
    } else if (isAlias(n)) {
      // Aliased subtrees are reported at the alias. The data shares one object between anchor and alias.
      noCache = true;
    }
  };
  walk(doc.contents, '', 0);
  if (!positions.has('')) positions.set('', { file, line: 1, column: 1 });
  return { file, data, positions, keyPositions, findings, noCache };
}

/**
 * The outermost `{` or `[` still open at `end` (offset), skipping quoted strings and comments. In block context a
 * bracket opens a flow collection only where a value starts (after `key:`, `- `, `? ` or at the start of a line).
 */
export function unclosedOpener(text: string, end: number): { offset: number; char: '{' | '[' } | undefined {
  const stack: Array<{ offset: number; char: '{' | '[' }> = [];
  let i = 0;
  const limit = Math.min(end, text.length);
  const valueStart = (j: number): boolean => {
    let k = j - 1;
    while (k >= 0 && (text[k] === ' ' || text[k] === '\t')) k--;
    return k < 0 || text[k] === '\n' || text[k] === ':' || text[k] === '-' || text[k] === '?';
  };
  while (i < limit) {
    const c = text[i];
    const prev = i > 0 ? text[i - 1] : '\n';
    if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? limit : nl;
      continue;
    }
    if ((c === '"' || c === "'") && (stack.length > 0 ? /[\s,[{:]/.test(prev) : valueStart(i))) {
      let j = i + 1;
      while (j < text.length) {
        if (c === '"' && text[j] === '\\') j += 2;
        else if (text[j] === c) {
          if (c === "'" && text[j + 1] === "'") j += 2;
          else break;
        } else j++;
      }
      i = j + 1;
      continue;
    }
    if ((c === '{' || c === '[') && (stack.length > 0 || valueStart(i))) stack.push({ offset: i, char: c });
    else if ((c === '}' || c === ']') && stack.length > 0) stack.pop();
    i++;
  }
  return stack[0];
}

/** The dotted key path of `key` written at `offset`, from the indentation of the lines above it (block mappings). */
function keyPathAt(text: string, offset: number, key: string): string {
  const lines = text.slice(0, offset).split('\n');
  const indentOf = (l: string) => l.length - l.trimStart().length;
  let indent = indentOf(lines[lines.length - 1]);
  const parts = [key];
  for (let i = lines.length - 2; i >= 0 && indent > 0; i--) {
    const l = lines[i];
    if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
    const ind = indentOf(l);
    if (ind < indent) {
      const m = /^\s*([^\s:#][^:#]*?)\s*:(\s|$)/.exec(l);
      if (!m) return '';
      parts.unshift(m[1]);
      indent = ind;
    }
  }
  return parts.join('.');
}
