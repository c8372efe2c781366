/** CIDR helpers over ip-num (shared by the network rules). */
import { IPv4CidrRange, Validator } from 'ip-num';

/** Parse a canonical IPv4 CIDR (host bits zero); undefined when invalid. */
export function parseCidr(s: string): IPv4CidrRange | undefined {
  if (typeof s !== 'string' || !Validator.isValidIPv4CidrRange(s)[0]) return undefined;
  try {
    return IPv4CidrRange.fromCidr(s);
  } catch {
    return undefined;
  }
}

export function overlaps(a: IPv4CidrRange, b: IPv4CidrRange): boolean {
  return a.contains(b) || b.contains(a) || a.isOverlapping(b);
}

export function prefixOf(r: IPv4CidrRange): number {
  return Number(r.getPrefix().getValue());
}
