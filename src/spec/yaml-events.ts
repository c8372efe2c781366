/**
 * The YAML parser's fast path. A spec is a few dozen lines of block and flow mappings, sequences and one-line scalars,
 * and the `yaml` library (which src/spec/yaml.ts uses for everything) spends about 1.5 ms on each in a fresh process:
 * at 300 environments that was a third of `validate`. js-yaml's event parser (`parseEvents`: one flat list of events
 * with source offsets, no node objects) reads the same files about four times faster.
 *
 * It answers only for documents inside a plain subset and returns undefined for everything else, which `yaml` then
 * parses as before (with its error messages): a YAML error of any kind, more than one document, `---` / `...` / `%`
 * directives, anchors, aliases, tags, block scalars (`|`, `>`), scalars that span lines or hold escapes, empty
 * values, keys that are empty or not strings, duplicate keys, `__proto__`, a scalar on the line after its key or
 * `- `, and nesting deeper than the position walk goes.
 *
 * Inside the subset the result is the one `yaml` gives, data and positions alike: plain scalars are resolved by the
 * `yaml` library's own YAML 1.2 core-schema tags (so `0o14`, `.inf`, `True` and `~` mean what they mean there), and
 * positions follow src/spec/yaml.ts's walk (a value at its node's first character, a quoted scalar at its quote, a
 * key at its key). test/spec/yaml-events.test.ts holds both parsers to that on the examples and on thousands of
 * mutations of them.
 */
import { COLLECTION_STYLE, EVENT_ID, SCALAR_STYLE, parseEvents, type Event } from 'js-yaml';
import { joinPath } from './positions';
import type { StoredParse } from './parse-store';

/** Deepest node walked; src/spec/yaml.ts's walk stops at the same depth (and caches nothing beyond it). */
const MAX_DEPTH = 64;
/** `yaml` refuses an implicit key longer than 1024 characters; keys near that length go to `yaml`. */
const MAX_KEY_CHARS = 1000;

/**
 * Characters the two parsers treat differently or YAML does not allow: tabs, controls, byte-order marks past the start
 * (src/spec/yaml.ts strips a leading one), NEL and the Unicode line and paragraph separators, non-characters, and a
 * carriage return that does not end a line (CRLF line ends are fine).
 */
const NOT_PLAIN_TEXT = /[^\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\ud800-\udfff]|[\u2028\u2029]|\r(?!\n)/;

/** A `---` or `...` line: documents begin and end there (js-yaml and `yaml` disagree on a stray one). */
const DOCUMENT_MARKER = /(?:^|\n)(?:---|\.\.\.)(?:[ \r\n]|$)/;

/** What may precede a block mapping's key on its line: indentation, and the `- ` of enclosing sequence entries. */
const LINE_PREFIX = /^ *(?:- +)*$/;

/** What precedes a scalar entry of a block sequence on its line: indentation and at least one `- `. */
const SEQUENCE_ENTRY_PREFIX = /^ *(?:- +)+$/;

type ScalarTag = { default?: boolean | 'key'; test?: RegExp; resolve: (value: string, onError: (msg: string) => void, options: object) => unknown };
let yamlLib: typeof import('yaml') | undefined;
let coreTags: ScalarTag[] | undefined;

/** The `yaml` library, loaded on first use (a process whose parses all come from the parse store never needs it). */
function yaml(): typeof import('yaml') {
  yamlLib ??= require('yaml') as typeof import('yaml');
  return yamlLib;
}

/** The `yaml` library's YAML 1.2 core-schema scalar tags, in its resolution order. */
function tags(): ScalarTag[] {
  coreTags ??= new (yaml().Schema)({ schema: 'core', merge: false }).tags as unknown as ScalarTag[];
  return coreTags;
}

const DECLINE = Symbol('decline');

/**
 * A plain scalar's value as `yaml` resolves it: the first default tag whose test matches (at a key also the tags that
 * apply to keys), else a string. DECLINE when a tag reports a problem (`yaml` would report it).
 */
function resolvePlain(value: string, atKey: boolean): unknown {
  const memo = atKey ? resolvedKeys : resolvedValues;
  if (memo.has(value)) return memo.get(value);
  const resolved = resolveWithTags(value, atKey);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(value, resolved);
  return resolved;
}

/**
 * Plain scalars already resolved in this process (specs repeat the same keys and values from file to file); the
 * values are primitives, so sharing them is safe.
 */
const resolvedKeys = new Map<string, unknown>();
const resolvedValues = new Map<string, unknown>();
const MEMO_MAX = 20000;

function resolveWithTags(value: string, atKey: boolean): unknown {
  for (const tag of tags()) {
    if (!(tag.default === true || (atKey && tag.default === 'key')) || !tag.test?.test(value)) continue;
    let failed = false;
    let res: unknown;
    try {
      res = tag.resolve(value, () => (failed = true), { intAsBigInt: false });
    } catch {
      return DECLINE;
    }
    if (failed) return DECLINE;
    const v = yaml().isScalar(res) ? res.value : res;
    return typeof v === 'bigint' ? DECLINE : v;
  }
  return value;
}

/** `yaml`'s own line counter over `text` (a line starts after each `\n`, as the `yaml` parser counts them). */
function lineCounter(text: string): import('yaml').LineCounter {
  const lc = new (yaml().LineCounter)();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}

/**
 * Data and positions of `text` when it lies inside the plain subset (see the module comment), else undefined.
 * Never throws.
 */
export function parseSimpleYaml(text: string): StoredParse | undefined {
  if (NOT_PLAIN_TEXT.test(text) || DOCUMENT_MARKER.test(text)) return undefined;
  let events: Event[];
  try {
    events = parseEvents(text, {}); // deeper than 100 levels it throws
  } catch {
    return undefined;
  }
  const doc = events[0];
  if (!doc || doc.type !== EVENT_ID.DOCUMENT || doc.explicitStart || doc.explicitEnd || doc.directives.length > 0) return undefined;
  if (events.length < 3 || events[events.length - 1].type !== EVENT_ID.POP) return undefined;

  const lc = lineCounter(text);
  const at = (offset: number): [number, number] => {
    const p = lc.linePos(offset);
    return [p.line, p.col];
  };
  /** What precedes `offset` on its line. */
  const lineBefore = (offset: number): string => text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  /**
   * A block mapping's keys each begin a line: only indentation and the `- ` of enclosing sequence entries before them
   * (js-yaml reads a key that follows a closing quote on the same line, which `yaml` refuses).
   */
  const beginsLine = (offset: number): boolean => LINE_PREFIX.test(lineBefore(offset));
  const positions: Array<[string, number, number]> = [];
  const keyPositions: Array<[string, number, number]> = [];
  let i = 1;

  /** The scalar event's value and first character (a quoted scalar's quote), or DECLINE. */
  const scalar = (e: Event, atKey: boolean): { value: unknown; start: number } | typeof DECLINE => {
    // not `fast`: escapes, folded lines, or no value at all (`key:` with nothing after it)
    if (e.type !== EVENT_ID.SCALAR || e.anchorStart !== -1 || e.tagStart !== -1 || !e.fast) return DECLINE;
    const raw = text.slice(e.valueStart, e.valueEnd);
    if (raw.includes('\n') || raw.includes('\r')) return DECLINE;
    if (e.style === SCALAR_STYLE.PLAIN) {
      const value = resolvePlain(raw, atKey);
      return value === DECLINE ? DECLINE : { value, start: e.valueStart };
    }
    if (e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED) return { value: raw, start: e.valueStart - 1 };
    return DECLINE; // block scalars
  };

  /** Reads the node starting at events[i] (advancing i); returns its data, or DECLINE. */
  const node = (path: string, depth: number, entryOf?: 'sequence' | number): unknown => {
    if (depth > MAX_DEPTH) return DECLINE;
    const e = events[i++];
    if (!e) return DECLINE;
    if (e.type === EVENT_ID.SCALAR) {
      const s = scalar(e, false);
      if (s === DECLINE) return DECLINE;
      // A scalar in a block collection sits on its entry's line: after its `- `, or after its key (the two parsers
      // disagree on where a scalar on the next line ends).
      if (entryOf === 'sequence' && !SEQUENCE_ENTRY_PREFIX.test(lineBefore(s.start))) return DECLINE;
      if (typeof entryOf === 'number' && text.lastIndexOf('\n', s.start - 1) > entryOf) return DECLINE;
      positions.push([path, ...at(s.start)]);
      return s.value;
    }
    if (e.type !== EVENT_ID.MAPPING && e.type !== EVENT_ID.SEQUENCE) return DECLINE; // aliases
    if (e.anchorStart !== -1 || e.tagStart !== -1) return DECLINE;
    const block = e.style === COLLECTION_STYLE.BLOCK;
    positions.push([path, ...at(e.start)]);
    if (e.type === EVENT_ID.SEQUENCE) {
      const out: unknown[] = [];
      while (events[i] && events[i].type !== EVENT_ID.POP) {
        const v = node(joinPath(path, out.length), depth + 1, block ? 'sequence' : undefined);
        if (v === DECLINE) return DECLINE;
        out.push(v);
      }
      i++;
      return out;
    }
    const out: Record<string, unknown> = {};
    while (events[i] && events[i].type !== EVENT_ID.POP) {
      const k = scalar(events[i++], true);
      if (k === DECLINE || typeof k.value !== 'string' || (block && !beginsLine(k.start))) return DECLINE;
      const key = k.value;
      if (key === '' || key === '__proto__' || key.length > MAX_KEY_CHARS || Object.prototype.hasOwnProperty.call(out, key)) return DECLINE;
      const childPath = joinPath(path, key);
      keyPositions.push([childPath, ...at(k.start)]);
      const v = node(childPath, depth + 1, block ? k.start : undefined);
      if (v === DECLINE) return DECLINE;
      out[key] = v;
    }
    i++;
    return out;
  };

  const data = node('', 0);
  // exactly one document, read to its end
  if (data === DECLINE || i !== events.length - 1) return undefined;
  return { data, positions, keyPositions };
}
