/**
 * requirements.txt -> RequirementsFile. Pure.
 *
 * Two layers, as in pip itself:
 * - the requirements-file format (pip's `req_file`): `\` continuations, `#` comments, option lines
 *   (`-c/--constraint`, `-r`, `-f/--find-links`, `--no-index`, `-i/--index-url` ...) and per-requirement
 *   options (`--hash=...`);
 * - each requirement specifier, parsed by a real PEP 508 grammar (pip-requirements-js, an Ohm port of the
 *   PEP's complete grammar). PEP 440 validity of the versions is judged by the rules (@renovatebot/pep440).
 */
import type * as PipRequirements from 'pip-requirements-js';
import type { InvalidEntry, OptionEntry, RequirementEntry, RequirementsLine, VersionSpecifier } from './model';

/**
 * The PEP 508 grammar, loaded on first use: building its Ohm grammar costs ~140 ms, which a validate run over specs
 * without requirements files should not pay at start-up.
 */
let pep508: typeof PipRequirements | undefined;
function grammar(): typeof PipRequirements {
  return (pep508 ??= require('pip-requirements-js') as typeof PipRequirements);
}

/** pip's requirements-file options: short and long spellings -> long name, and whether they take an argument. */
const OPTIONS: Array<{ names: string[]; long: string; arg: boolean }> = [
  { names: ['-c', '--constraint'], long: 'constraint', arg: true },
  { names: ['-r', '--requirement'], long: 'requirement', arg: true },
  { names: ['-e', '--editable'], long: 'editable', arg: true },
  { names: ['-f', '--find-links'], long: 'find-links', arg: true },
  { names: ['-i', '--index-url'], long: 'index-url', arg: true },
  { names: ['--extra-index-url'], long: 'extra-index-url', arg: true },
  { names: ['--no-index'], long: 'no-index', arg: false },
  { names: ['--trusted-host'], long: 'trusted-host', arg: true },
  { names: ['--pre'], long: 'pre', arg: false },
  { names: ['--prefer-binary'], long: 'prefer-binary', arg: false },
  { names: ['--require-hashes'], long: 'require-hashes', arg: false },
  { names: ['--only-binary'], long: 'only-binary', arg: true },
  { names: ['--no-binary'], long: 'no-binary', arg: true },
  { names: ['--use-feature'], long: 'use-feature', arg: true },
];

/** Options pip accepts after a requirement on the same line. */
const PER_REQUIREMENT = /^--(hash|config-settings|global-option|install-option)(=|$)/;

/** PEP 503 normalized project name. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

interface Logical {
  text: string;
  line: number;
  /** Column (1-based) of the first non-blank character of `text` on its first physical line. */
  column: number;
}

/** Join `\` continuations, strip comments (`#` at the start or after whitespace) and blank lines. */
export function logicalLines(text: string): Logical[] {
  const physical = text.split(/\r\n|\r|\n/);
  const out: Logical[] = [];
  let buf = '';
  let start = -1;
  for (let i = 0; i < physical.length; i++) {
    let raw = physical[i];
    if (start < 0) start = i;
    const continued = /\\$/.test(raw) && !/(^|\s)#/.test(raw);
    if (continued) raw = raw.slice(0, -1);
    buf += raw;
    if (continued && i < physical.length - 1) continue;
    const noComment = buf.replace(/(^|\s+)#.*$/, '');
    const trimmed = noComment.trim();
    if (trimmed !== '') {
      const lead = noComment.length - noComment.trimStart().length;
      out.push({ text: trimmed, line: start + 1, column: lead + 1 });
    }
    buf = '';
    start = -1;
  }
  return out;
}

/** shlex-like split of an option line: whitespace separated, single/double quotes group. Returns tokens with offsets. */
function tokens(s: string): Array<{ value: string; at: number }> {
  const out: Array<{ value: string; at: number }> = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    const at = i;
    let value = '';
    while (i < s.length && !/\s/.test(s[i])) {
      const q = s[i];
      if (q === '"' || q === "'") {
        const end = s.indexOf(q, i + 1);
        if (end < 0) {
          value += s.slice(i + 1);
          i = s.length;
        } else {
          value += s.slice(i + 1, end);
          i = end + 1;
        }
      } else {
        value += q;
        i++;
      }
    }
    out.push({ value, at });
  }
  return out;
}

function parseOption(l: Logical): OptionEntry | InvalidEntry | { kind: 'path'; editable: true; arg: string } {
  const toks = tokens(l.text);
  const first = toks[0].value;
  const eq = first.indexOf('=');
  const flag = first.startsWith('--') && eq > 0 ? first.slice(0, eq) : first;
  let opt = OPTIONS.find((o) => o.names.includes(flag));
  let inlineShort: string | undefined;
  if (!opt && /^-[a-z]./i.test(first) && !first.startsWith('--')) {
    // -cURL (short option glued to its argument)
    opt = OPTIONS.find((o) => o.names.includes(first.slice(0, 2)) && o.arg);
    if (opt) inlineShort = first.slice(2);
  }
  if (!opt) {
    return { kind: 'invalid', line: l.line, column: l.column, text: l.text, error: `\`${flag}\` is not a pip requirements-file option` };
  }
  if (!opt.arg) {
    if (toks.length > 1 || eq > 0) return { kind: 'invalid', line: l.line, column: l.column, text: l.text, error: `\`${flag}\` takes no argument` };
    return { kind: 'option', line: l.line, column: l.column, text: l.text, name: opt.long };
  }
  let value: string | undefined;
  let valueAt: number | undefined;
  if (inlineShort !== undefined) {
    value = inlineShort;
    valueAt = toks[0].at + 2;
  } else if (first.startsWith('--') && eq > 0) {
    value = tokens(first.slice(eq + 1))[0]?.value ?? '';
    valueAt = toks[0].at + eq + 1;
  } else if (toks.length >= 2) {
    value = toks[1].value;
    valueAt = toks[1].at;
  }
  const extra = inlineShort !== undefined || eq > 0 ? toks.length > 1 : toks.length > 2;
  if (value === undefined || value === '' || extra) {
    return { kind: 'invalid', line: l.line, column: l.column, text: l.text, error: value ? `\`${flag}\` takes one argument` : `\`${flag}\` needs an argument` };
  }
  if (opt.long === 'editable') return { kind: 'path', editable: true, arg: value };
  return { kind: 'option', line: l.line, column: l.column, text: l.text, name: opt.long, value, valueColumn: l.column + (valueAt ?? 0) };
}

/** Where per-requirement options start (` --hash=...`), outside quotes; -1 when none. */
function perRequirementOptionsAt(s: string): number {
  let quote: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '-' && s[i + 1] === '-' && i > 0 && /\s/.test(s[i - 1])) return i;
  }
  return -1;
}

function looksLikePath(s: string): boolean {
  return /^(\.{1,2}\/|\/|[a-z][a-z0-9+.-]*:\/\/|~)/i.test(s) || /\.(whl|tar\.gz|zip|tgz|tar\.bz2)$/i.test(s.split(/[\s;]/)[0]);
}

function parseRequirement(l: Logical): RequirementsLine {
  const cut = perRequirementOptionsAt(l.text);
  const spec = (cut >= 0 ? l.text.slice(0, cut) : l.text).trimEnd();
  const options = cut >= 0 ? tokens(l.text.slice(cut)).map((t) => t.value) : [];
  const badOpt = options.find((o) => o.startsWith('-') && !PER_REQUIREMENT.test(o));
  if (badOpt) return { kind: 'invalid', line: l.line, column: l.column + cut, text: l.text, error: `\`${badOpt}\` is not an option pip accepts after a requirement (only --hash, --config-settings)` };
  if (looksLikePath(spec) && !/^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@/.test(spec)) {
    return { kind: 'path', line: l.line, column: l.column, text: l.text, editable: false };
  }
  let parsed: ReturnType<typeof PipRequirements.parsePipRequirementsLine>;
  try {
    parsed = grammar().parsePipRequirementsLine(spec, { includeLocations: true });
  } catch (err) {
    const msg = (err as Error).message ?? String(err);
    const m = /col (\d+): (.*)$/.exec(msg);
    const col = m ? Number(m[1]) : 1;
    return { kind: 'invalid', line: l.line, column: l.column + col - 1, text: l.text, error: m ? `PEP 508: ${m[2]}` : `PEP 508: ${msg}` };
  }
  if (!parsed || (parsed.data.type !== 'ProjectName' && parsed.data.type !== 'ProjectURL')) {
    return { kind: 'invalid', line: l.line, column: l.column, text: l.text, error: 'not a requirement specifier' };
  }
  const d = parsed.data;
  const specifiers: VersionSpecifier[] =
    d.type === 'ProjectName'
      ? (d.versionSpec ?? []).map((v) => ({ operator: v.data.operator.data, version: v.data.version.data, column: l.column + v.data.operator.location.startIdx }))
      : [];
  const markerLoc = d.environmentMarkerTree?.location;
  const entry: RequirementEntry = {
    kind: 'requirement',
    line: l.line,
    column: l.column,
    text: l.text,
    name: d.name.data,
    normalized: normalizeName(d.name.data),
    extras: (d.extras ?? []).map((e) => e.data),
    specifiers,
    options,
  };
  if (d.type === 'ProjectURL') entry.url = d.url.data;
  if (markerLoc) entry.marker = spec.slice(markerLoc.startIdx, markerLoc.endIdx);
  return entry;
}

/** Parse requirements text (already decoded) into logical entries. */
export function parseRequirementsText(text: string): { lines: RequirementsLine[]; lineCount: number } {
  const lines: RequirementsLine[] = [];
  for (const l of logicalLines(text)) {
    if (l.text.startsWith('-')) {
      const o = parseOption(l);
      if (o.kind === 'path') lines.push({ kind: 'path', line: l.line, column: l.column, text: l.text, editable: true });
      else lines.push(o);
    } else {
      lines.push(parseRequirement(l));
    }
  }
  return { lines, lineCount: text.split(/\r\n|\r|\n/).length };
}

/** The option entries with a given long name. */
export function optionsNamed(lines: readonly RequirementsLine[], name: string): OptionEntry[] {
  return lines.filter((l): l is OptionEntry => l.kind === 'option' && l.name === name);
}

export function requirementsOf(lines: readonly RequirementsLine[]): RequirementEntry[] {
  return lines.filter((l): l is RequirementEntry => l.kind === 'requirement');
}
