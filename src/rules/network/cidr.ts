/**
 * CIDR helpers shared by the network rules. Validity (IPv4 notation, host bits zero) is ip-num's verdict; a valid
 * block is then kept as its first and last address as plain numbers, so containment and overlap are two
 * comparisons (ip-num's range objects rebuild BigInt masks on every comparison: at 300 environments that was
 * most of the network rules' time). Parsing is memoized by the string (a pure function of it).
 */
import { Validator } from 'ip-num';

export interface Cidr {
  readonly text: string;
  /** First and last address of the block, as unsigned 32-bit numbers. */
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

const parsed = new Map<string, Cidr | null>();
const MAX_MEMO = 10000;

/** Parse a canonical IPv4 CIDR (host bits zero); undefined when invalid. */
export function parseCidr(s: string): Cidr | undefined {
  if (typeof s !== 'string') return undefined;
  const memo = parsed.get(s);
  if (memo !== undefined) return memo ?? undefined;
  const out = Validator.isValidIPv4CidrRange(s)[0] ? toCidr(s) : undefined;
  if (parsed.size >= MAX_MEMO) parsed.clear();
  parsed.set(s, out ?? null);
  return out;
}

/** a.b.c.d/n already validated by ip-num -> numbers. */
function toCidr(s: string): Cidr | undefined {
  const [ip, len] = s.split('/');
  const octets = ip.split('.').map(Number);
  const prefix = Number(len);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const first = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - prefix);
  return { text: s, first, last: first + size - 1, prefix };
}

/** True when the two blocks share an address (CIDR blocks are nested or disjoint). */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** True when `inner` lies inside `outer` (equal blocks included). */
export function inside(inner: Cidr, outer: Cidr): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

export function prefixOf(r: Cidr): number {
  return r.prefix;
}
