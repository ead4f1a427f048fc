import { randomFillSync } from "node:crypto";

// Random bytes drawn in blocks: one crypto call per 512 ids keeps id generation off the profile.
const POOL_IDS = 512;
const pool = Buffer.allocUnsafe(10 * POOL_IDS);
let poolOffset = pool.length;
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

let lastMs = 0;
let seq = 0;

/**
 * RFC 9562 UUID version 7: 48-bit Unix ms timestamp, then random bits.
 * Ids made in the same millisecond by this process stay ordered through a 12-bit counter
 * in `rand_a`, so sorting by id sorts by creation.
 */
export function uuidv7(now: number = Date.now()): string {
  let ms = Math.floor(now);
  if (ms <= lastMs) {
    seq++;
    if (seq > 0xfff) {
      // Counter exhausted within one ms: borrow the next millisecond rather than lose ordering.
      lastMs++;
      seq = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    seq = 0;
  }
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const r = poolOffset;
  poolOffset += 10;
  const hi = Math.floor(ms / 0x10000);
  const lo = ms & 0xffff;
  const tsHex = hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(4, "0");
  const randA = (0x7000 | seq).toString(16);
  const variant = HEX[(pool[r]! & 0x3f) | 0x80]! + HEX[pool[r + 1]!]!;
  let tail = "";
  for (let i = r + 2; i < r + 8; i++) tail += HEX[pool[i]!]!;
  return `${tsHex.slice(0, 8)}-${tsHex.slice(8, 12)}-${randA}-${variant}-${tail}`;
}

/** The Unix ms timestamp carried by a UUIDv7. */
export function uuidv7Time(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
