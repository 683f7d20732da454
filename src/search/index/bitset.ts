/** Sets of paper ids as bit arrays: AND, OR and NOT of whole result sets are word operations. */
export type Bits = Uint32Array;

export const bitsFor = (size: number): Bits => new Uint32Array((size + 31) >>> 5);

export function setBit(b: Bits, i: number): void {
  b[i >>> 5]! |= 1 << (i & 31);
}

export function clearBit(b: Bits, i: number): void {
  b[i >>> 5]! &= ~(1 << (i & 31));
}

export function hasBit(b: Bits, i: number): boolean {
  return (b[i >>> 5]! & (1 << (i & 31))) !== 0;
}

export function andInto(a: Bits, b: Bits): void {
  for (let i = 0; i < a.length; i++) a[i]! &= b[i]!;
}

export function orInto(a: Bits, b: Bits): void {
  for (let i = 0; i < a.length; i++) a[i]! |= b[i]!;
}

/** `a` becomes `a AND NOT b`. */
export function andNotInto(a: Bits, b: Bits): void {
  for (let i = 0; i < a.length; i++) a[i]! &= ~b[i]!;
}

/** Whether any of `lo` … `hi` (inclusive) is set; false when `hi < lo`. */
export function hasBitBetween(b: Bits, lo: number, hi: number): boolean {
  if (hi < lo) return false;
  const first = lo >>> 5;
  const last = hi >>> 5;
  const lowMask = ~0 << (lo & 31);
  const highMask = ~0 >>> (31 - (hi & 31));
  if (first === last) return (b[first]! & lowMask & highMask) !== 0;
  if ((b[first]! & lowMask) !== 0 || (b[last]! & highMask) !== 0) return true;
  for (let w = first + 1; w < last; w++) if (b[w] !== 0) return true;
  return false;
}

export function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function countBits(b: Bits): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) if (b[i]) n += popcount32(b[i]!);
  return n;
}

/** Calls `visit` with each member, in increasing order. */
export function forEachBit(b: Bits, visit: (i: number) => void): void {
  for (let w = 0; w < b.length; w++) {
    let x = b[w]!;
    while (x !== 0) {
      const low = x & -x;
      visit((w << 5) + 31 - Math.clz32(low));
      x ^= low;
    }
  }
}
