/**
 * Spec values are data, never Terraform expressions.
 *
 * Two layers would otherwise interpret a string taken from the YAML:
 *  1. CDKTF's token resolver: a value containing `${TfToken[TOKEN.7]}` is replaced by whatever token 7 is
 *     (a real resource reference), `#{TfToken[...]}` aborts synthesis, and `-1.88e+289`-like substrings are
 *     looked up as number tokens.
 *  2. Terraform's template language: every JSON string is a template, so `${...}` and `%{...}` are evaluated.
 *
 * So a spec string never reaches CDKTF: `lit(scope, s)` stores it in the stack's {@link LiteralTable} and
 * returns an opaque placeholder (private-use code points and digits only, which match no CDKTF token pattern).
 * {@link LiteralStack.toTerraform} swaps every placeholder, in keys and values, for the template-escaped value
 * (`${` -> `$${`, `%{` -> `%%{`, Terraform's own escape syntax). Placeholders inside JSON documents built with
 * {@link litJson} (IAM/KMS/bucket policies) are substituted JSON-escaped.
 */
import { TerraformStack, TerraformElement, TerraformResource, TerraformDataSource, TerraformOutput } from 'cdktf';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const JSON_OPEN = '\uE002';
const JSON_CLOSE = '\uE003';
const PLAIN_RE = /\uE000(\d+)\uE001/g;
const ANY_RE = /[\uE000\uE002](\d+)[\uE001\uE003]/;

/** Terraform template escaping: the result evaluates to exactly `s`. */
export function escapeTemplate(s: string): string {
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** Per-stack store of literal spec strings. */
export class LiteralTable {
  private readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  /** The placeholder standing for `s` in construct properties. */
  lit(s: string): string {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return `${OPEN}${i}${CLOSE}`;
  }

  /** JSON text of `doc`; its placeholders will be substituted JSON-escaped. */
  json(doc: unknown): string {
    return JSON.stringify(doc).replace(PLAIN_RE, `${JSON_OPEN}$1${JSON_CLOSE}`);
  }

  /** Replaces every placeholder in `s` by its Terraform-escaped value (JSON-escaped inside JSON documents). */
  resolveString(s: string): string {
    if (!ANY_RE.test(s)) return s;
    let out = '';
    let last = 0;
    const re = /([\uE000\uE002])(\d+)([\uE001\uE003])/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      const value = this.values[Number(m[2])];
      if (value === undefined) throw new Error(`internal: unknown literal placeholder ${m[2]}`);
      let text = escapeTemplate(value);
      // A value ending in `$`/`%` followed by `{` in the surrounding text would form `${`/`%{` (or `$${`):
      // emit that last character through a constant interpolation instead.
      const next = s.charAt(re.lastIndex);
      if (m[1] === OPEN && (next === '{' || next === OPEN) && /[$%]$/.test(text)) {
        text = `${text.slice(0, -1)}\${"${text.slice(-1)}"}`;
      }
      if (m[1] === JSON_OPEN) text = JSON.stringify(text).slice(1, -1);
      out += s.slice(last, m.index) + text;
      last = re.lastIndex;
    }
    return out + s.slice(last);
  }

  /** Deep copy of `tree` with placeholders resolved in every string value and object key. */
  resolveTree<T>(tree: T): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.resolveString(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[this.resolveString(k)] = walk(val);
        return out;
      }
      return v;
    };
    return walk(tree) as T;
  }
}

/**
 * A stack whose spec strings are literal (see module doc) and whose Terraform addresses are readable:
 * each resource's logical id is its construct id (`aws_vpc.vpc`, `aws_subnet.private_0`), checked for
 * uniqueness per resource type at synthesis.
 */
export class LiteralStack extends TerraformStack {
  readonly literals = new LiteralTable();

  static of(scope: IConstruct): LiteralStack {
    const stack = TerraformStack.of(scope);
    if (!(stack instanceof LiteralStack)) {
      throw new Error(`construct ${scope.node.path} must be inside a LiteralStack (spec strings must stay literal)`);
    }
    return stack;
  }

  protected allocateLogicalId(tfElement: TerraformElement | Construct['node']): string {
    const node = TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
    return node.id.replace(/[^A-Za-z0-9_-]/g, '_');
  }

  toTerraform(): any {
    const seen = new Set<string>();
    for (const c of this.node.findAll()) {
      let address: string | undefined;
      if (TerraformResource.isTerraformResource(c)) address = `${(c as TerraformResource).terraformResourceType}.${(c as TerraformResource).friendlyUniqueId}`;
      else if (TerraformDataSource.isTerraformDataSource(c)) address = `data.${(c as TerraformDataSource).terraformResourceType}.${(c as TerraformDataSource).friendlyUniqueId}`;
      else if (TerraformOutput.isTerraformOutput(c)) address = `output.${(c as TerraformOutput).friendlyUniqueId}`;
      if (!address) continue;
      if (seen.has(address)) throw new Error(`internal: duplicate Terraform address ${address} in stack ${this.node.id}`);
      seen.add(address);
    }
    return this.literals.resolveTree(super.toTerraform());
  }
}

/** Placeholder for a literal spec string (see module doc). */
export function lit(scope: IConstruct, s: string): string {
  return LiteralStack.of(scope).literals.lit(s);
}

/** Literal copies of a string map (keys and values). */
export function litMap(scope: IConstruct, m: Record<string, string>): Record<string, string> {
  const t = LiteralStack.of(scope).literals;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[t.lit(k)] = t.lit(v);
  return out;
}

/** JSON text of a document holding placeholders and tokens (policies). */
export function litJson(scope: IConstruct, doc: unknown): string {
  return LiteralStack.of(scope).literals.json(doc);
}

/** Literal copy of plain data (every string and object key), e.g. user-written policy statements. */
export function litDeep<T>(scope: IConstruct, value: T): T {
  const t = LiteralStack.of(scope).literals;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return t.lit(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[t.lit(k)] = walk(val);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}
