/**
 * GitHub Actions expressions (`${{ ... }}` and `if:`), the subset workflows use, evaluated the way GitHub documents
 * them (docs.github.com "Evaluate expressions in workflows and actions"):
 * literals ('string' with '' escapes, numbers, true, false, null), context property access (`a.b`, `a['b']`, `a[0]`),
 * `!`, `==`, `!=`, `<`, `<=`, `>`, `>=` (loose equality: different types compare as numbers, strings ignore case),
 * `&&` / `||` (return an operand, not a boolean), parentheses, and the functions contains, startsWith, endsWith,
 * format, join, toJSON, fromJSON, success, failure, always, cancelled. Anything else throws, so a workflow using what
 * this harness cannot evaluate fails loudly instead of being simulated wrongly.
 */

export type Value = unknown;

export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  cancelled(): boolean;
}

export interface Scope {
  contexts: Record<string, Value>;
  status: StatusFunctions;
}

type Token = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in expression: ${src}`);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += src[i++];
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('!<>()[].,'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    const num = /^-?(0x[0-9a-f]+|\d+(\.\d+)?(e[+-]?\d+)?)/i.exec(src.slice(i));
    if (num && (out.length === 0 || out[out.length - 1].t === 'op') && !(out.length && out[out.length - 1].v === '.')) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new Error(`unexpected character '${c}' in expression: ${src}`);
  }
  return out;
}

function truthy(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '' || (typeof v === 'number' && Number.isNaN(v))) return false;
  return true;
}

function toNumber(v: Value): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

/** String form of a value (interpolation, format): null is '', objects are JSON. */
export function stringify(v: Value): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, null, 2);
}

function looseEqual(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if ((typeof a === 'object' && a !== null) || (typeof b === 'object' && b !== null)) return a === b;
  if (typeof a === typeof b) return a === b || (a == null && b == null);
  return toNumber(a) === toNumber(b);
}

function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  const x = toNumber(a);
  const y = toNumber(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function prop(obj: Value, key: Value): Value {
  if (obj === null || obj === undefined) return null;
  if (Array.isArray(obj) && typeof key === 'number') return obj[key] ?? null;
  if (typeof obj === 'object') {
    const o = obj as Record<string, Value>;
    const k = String(key);
    if (k in o) return o[k];
    const ci = Object.keys(o).find((x) => x.toLowerCase() === k.toLowerCase()); // property names are case-insensitive
    return ci === undefined ? null : o[ci];
  }
  return null;
}

class Parser {
  private i = 0;
  usesStatus = false;

  constructor(
    private readonly tokens: Token[],
    private readonly scope: Scope,
    private readonly src: string,
  ) {}

  parse(): Value {
    const v = this.or();
    if (this.i !== this.tokens.length) throw new Error(`unexpected '${JSON.stringify(this.tokens[this.i])}' in expression: ${this.src}`);
    return v;
  }

  private peek(v?: string): boolean {
    const t = this.tokens[this.i];
    return t !== undefined && t.t === 'op' && (v === undefined || t.v === v);
  }

  private expect(v: string): void {
    if (!this.peek(v)) throw new Error(`expected '${v}' in expression: ${this.src}`);
    this.i++;
  }

  private or(): Value {
    let left = this.and();
    while (this.peek('||')) {
      this.i++;
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.equality();
    while (this.peek('&&')) {
      this.i++;
      const right = this.equality();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private equality(): Value {
    let left = this.relation();
    while (this.peek('==') || this.peek('!=')) {
      const op = (this.tokens[this.i++] as { v: string }).v;
      const right = this.relation();
      left = op === '==' ? looseEqual(left, right) : !looseEqual(left, right);
    }
    return left;
  }

  private relation(): Value {
    let left = this.unary();
    while (this.peek('<') || this.peek('<=') || this.peek('>') || this.peek('>=')) {
      const op = (this.tokens[this.i++] as { v: string }).v;
      const c = compare(left, this.unary());
      left = op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
    return left;
  }

  private unary(): Value {
    if (this.peek('!')) {
      this.i++;
      return !truthy(this.unary());
    }
    return this.postfix();
  }

  private postfix(): Value {
    let v = this.primary();
    for (;;) {
      if (this.peek('.')) {
        this.i++;
        const t = this.tokens[this.i++];
        if (!t || (t.t !== 'id' && !(t.t === 'op' && t.v === '*'))) throw new Error(`expected a property name in expression: ${this.src}`);
        v = prop(v, t.v);
      } else if (this.peek('[')) {
        this.i++;
        const k = this.or();
        this.expect(']');
        v = prop(v, k);
      } else {
        return v;
      }
    }
  }

  private primary(): Value {
    const t = this.tokens[this.i++];
    if (!t) throw new Error(`unexpected end of expression: ${this.src}`);
    if (t.t === 'num' || t.t === 'str') return t.v;
    if (t.t === 'op' && t.v === '(') {
      const v = this.or();
      this.expect(')');
      return v;
    }
    if (t.t === 'id') {
      if (this.peek('(')) {
        this.i++;
        const args: Value[] = [];
        if (!this.peek(')')) {
          args.push(this.or());
          while (this.peek(',')) {
            this.i++;
            args.push(this.or());
          }
        }
        this.expect(')');
        return this.call(t.v, args);
      }
      if (t.v === 'true') return true;
      if (t.v === 'false') return false;
      if (t.v === 'null') return null;
      if (!(t.v in this.scope.contexts)) throw new Error(`unknown context '${t.v}' in expression: ${this.src}`);
      return this.scope.contexts[t.v];
    }
    throw new Error(`unexpected '${t.v}' in expression: ${this.src}`);
  }

  private call(name: string, args: Value[]): Value {
    const s = (v: Value) => stringify(v).toLowerCase();
    switch (name.toLowerCase()) {
      case 'contains':
        return Array.isArray(args[0]) ? args[0].some((x) => looseEqual(x, args[1])) : s(args[0]).includes(s(args[1]));
      case 'startswith':
        return s(args[0]).startsWith(s(args[1]));
      case 'endswith':
        return s(args[0]).endsWith(s(args[1]));
      case 'format':
        return stringify(args[0]).replace(/\{(\d+)\}/g, (_m, i: string) => stringify(args[1 + Number(i)]));
      case 'join':
        return Array.isArray(args[0]) ? args[0].map(stringify).join(args.length > 1 ? stringify(args[1]) : ',') : stringify(args[0]);
      case 'tojson':
        return JSON.stringify(args[0], null, 2);
      case 'fromjson':
        return JSON.parse(stringify(args[0]));
      case 'success':
        this.usesStatus = true;
        return this.scope.status.success();
      case 'failure':
        this.usesStatus = true;
        return this.scope.status.failure();
      case 'cancelled':
        this.usesStatus = true;
        return this.scope.status.cancelled();
      case 'always':
        this.usesStatus = true;
        return true;
      default:
        throw new Error(`function ${name}() is not supported by this harness (expression: ${this.src})`);
    }
  }
}

/** Evaluates one expression (without `${{ }}`). */
export function evaluate(expr: string, scope: Scope): { value: Value; usesStatus: boolean } {
  const p = new Parser(tokenize(expr), scope, expr);
  const value = p.parse();
  return { value, usesStatus: p.usesStatus };
}

/** A string with every `${{ expr }}` replaced by its value's string form (as GitHub does, before the shell runs). */
export function interpolate(text: string, scope: Scope): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, e: string) => stringify(evaluate(e, scope).value));
}

/** A value from YAML (`with:`, `env:`, `matrix:`): a whole `${{ }}` keeps its type, other strings are interpolated. */
export function resolve(v: Value, scope: Scope): Value {
  if (typeof v === 'string') {
    const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(v);
    if (whole && !whole[1].includes('}}')) return evaluate(whole[1], scope).value;
    return interpolate(v, scope);
  }
  if (Array.isArray(v)) return v.map((x) => resolve(x, scope));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, scope)]));
  return v;
}

/** An `if:` condition: `${{ }}` optional; without a status function it means `success() && (condition)`. */
export function condition(cond: string | boolean | undefined, scope: Scope): boolean {
  if (cond === undefined) return scope.status.success();
  if (typeof cond === 'boolean') return cond && scope.status.success();
  const inner = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(cond)?.[1] ?? cond;
  const { value, usesStatus } = evaluate(inner, scope);
  return usesStatus ? truthy(value) : scope.status.success() && truthy(value);
}
