/**
 * The network rules' CIDR helpers (src/rules/network/cidr.ts) compute on numbers; ip-num's range objects are the
 * reference: same validity, same containment, same overlap, same prefix, on generated blocks.
 */
import fc from 'fast-check';
import { IPv4CidrRange, Validator } from 'ip-num';
import { inside, overlaps, parseCidr, prefixOf } from '../../src/rules/network/cidr';

function reference(s: string): IPv4CidrRange | undefined {
  if (!Validator.isValidIPv4CidrRange(s)[0]) return undefined;
  return IPv4CidrRange.fromCidr(s);
}

/** A block with host bits zero, near 10.0.0.0/8 so that pairs nest and overlap often. */
const block = fc.record({ b: fc.integer({ min: 0, max: 3 }), c: fc.integer({ min: 0, max: 255 }), d: fc.integer({ min: 0, max: 255 }), len: fc.integer({ min: 8, max: 32 }) }).map(({ b, c, d, len }) => {
  const n = ((10 << 24) >>> 0) + (b << 16) + (c << 8) + d;
  const masked = len === 0 ? 0 : (n & (~0 << (32 - len))) >>> 0;
  return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${len}`;
});

describe('CIDR helpers agree with ip-num', () => {
  it('containment, overlap and prefix of generated blocks', () => {
    fc.assert(
      fc.property(block, block, (x, y) => {
        const a = parseCidr(x)!;
        const b = parseCidr(y)!;
        const ra = reference(x)!;
        const rb = reference(y)!;
        expect(a).toBeDefined();
        expect(b).toBeDefined();
        expect(overlaps(a, b)).toBe(ra.contains(rb) || rb.contains(ra) || ra.isOverlapping(rb));
        expect(inside(a, b)).toBe(ra.inside(rb));
        expect(prefixOf(a)).toBe(Number(ra.getPrefix().getValue()));
      }),
      { numRuns: 500 },
    );
  });

  it('whole address space edges', () => {
    for (const [x, y, o, i] of [
      ['0.0.0.0/0', '255.255.255.255/32', true, false],
      ['255.255.255.255/32', '0.0.0.0/0', true, true],
      ['10.0.0.0/24', '10.0.1.0/24', false, false],
      ['10.0.0.0/24', '10.0.0.0/24', true, true],
      ['128.0.0.0/1', '127.255.255.255/32', false, false],
    ] as const) {
      expect(overlaps(parseCidr(x)!, parseCidr(y)!)).toBe(o);
      expect(inside(parseCidr(x)!, parseCidr(y)!)).toBe(i);
    }
  });

  it('validity of arbitrary strings is ip-num`s (host bits, octets, prefix, garbage)', () => {
    const samples = ['10.0.0.0/16', '10.0.0.1/16', '10.0.0.0/33', '256.0.0.0/8', '10.0.0/8', '10.0.0.0', '', ' 10.0.0.0/8', '10.0.0.0/8 ', '1.2.3.4/32', '010.0.0.0/8', '10.0.0.0/-1', 'a.b.c.d/8'];
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...samples), fc.string(), block.map((b) => b.replace(/\.(\d+)\//, (_m, d) => `.${Number(d) + 1}/`))), (s) => {
        const ours = parseCidr(s);
        const ref = reference(s);
        expect(ours === undefined).toBe(ref === undefined);
        if (ours && ref) expect([ours.first, ours.last]).toEqual([Number(ref.getFirst().getValue()), Number(ref.getLast().getValue())]);
      }),
      { numRuns: 1000 },
    );
  });
});
