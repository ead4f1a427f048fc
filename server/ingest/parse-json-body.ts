/**
 * JSON.parse of a request body without making one string of the whole body.
 *
 * V8 puts every string over 128 KiB in its own memory mapping, and allocating one costs page
 * faults and an munmap later: about 1 ms for the ~200 KB of a 500-record batch on a small VM,
 * ten times what JSON.parse itself spends on it. So when the body is an object with a large
 * array member (`records`), the array's elements are parsed in slices of at most SLICE_BYTES, and
 * the rest of the object with an empty array in its place. The result is exactly what JSON.parse
 * of the whole text returns; anything the scan does not recognise goes to that plain JSON.parse,
 * which also words the errors of invalid bodies.
 */

/** Bodies smaller than this are parsed whole. */
const SPLIT_ABOVE_BYTES = 96 * 1024;
/** UTF-8 bytes per slice; decoded they stay under 128 KiB even as two-byte strings. */
const SLICE_BYTES = 60 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

export function parseJsonBody(bytes: Buffer, arrayKey: string): unknown {
  if (bytes.length > SPLIT_ABOVE_BYTES) {
    const split = findArrayMember(bytes, arrayKey);
    const parsed = split && parseSplit(bytes, split, arrayKey);
    if (parsed) return parsed.value;
  }
  return JSON.parse(bytes.toString("utf8"));
}

interface ArrayMember {
  /** Offsets of the member's `[` and `]`. */
  open: number;
  close: number;
  /** Offsets of the commas between its elements. */
  commas: number[];
}

/**
 * Where the top-level object's (last) member `key` holds an array, found by a scan that tracks
 * strings and nesting like a JSON lexer. Null when the body is not shaped like that.
 */
function findArrayMember(b: Buffer, key: string): ArrayMember | null {
  const keyBytes = Buffer.from(JSON.stringify(key));
  let found: ArrayMember | null = null;
  let current: ArrayMember | null = null;
  let depth = 0;
  // The last string at depth 1 and whether a colon followed it: a `[` right after is its value.
  let lastString = -1;
  let lastStringEnd = -1;
  let afterKey = false;
  const n = b.length;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === QUOTE) {
      const start = i;
      for (i++; i < n && b[i] !== QUOTE; i++) if (b[i] === BACKSLASH) i++;
      if (i >= n) return null;
      if (depth === 1) {
        lastString = start;
        lastStringEnd = i + 1;
        afterKey = false;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (c === OPEN_ARRAY && depth === 1 && afterKey && lastStringEnd - lastString === keyBytes.length && b.compare(keyBytes, 0, keyBytes.length, lastString, lastStringEnd) === 0) {
        current = { open: i, close: -1, commas: [] };
      }
      depth++;
      afterKey = false;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 1 && current) {
        current.close = i;
        found = current;
        current = null;
      }
      if (depth < 0) return null;
    } else if (c === COMMA) {
      if (depth === 2 && current) current.commas.push(i);
      afterKey = false;
    } else if (c === COLON) {
      if (depth === 1) afterKey = true;
    }
  }
  return depth === 0 && b[0] === OPEN_OBJECT ? found : null;
}

/**
 * The object parsed in pieces: every slice of elements must itself be a non-empty JSON array and
 * the remainder a JSON object, so the pieces put together are the original text, which is then
 * valid JSON with this value. Null on any doubt.
 */
function parseSplit(b: Buffer, m: ArrayMember, key: string): { value: unknown } | null {
  try {
    const elements: unknown[] = [];
    let from = m.open + 1;
    const bounds = [...m.commas, m.close];
    for (let k = 0; k < bounds.length; k++) {
      const cut = bounds[k]!;
      const next = bounds[k + 1];
      // Extend the slice while the next element still fits.
      if (next !== undefined && next - from <= SLICE_BYTES) continue;
      const slice = JSON.parse(`[${b.toString("utf8", from, cut)}]`) as unknown[];
      if (slice.length === 0 && !(from === m.open + 1 && cut === m.close)) return null;
      for (const e of slice) elements.push(e);
      from = cut + 1;
    }
    const rest = JSON.parse(b.toString("utf8", 0, m.open + 1) + b.toString("utf8", m.close)) as unknown;
    if (typeof rest !== "object" || rest === null || Array.isArray(rest)) return null;
    // Still the empty array put in its place: no later member of the same name overrides it.
    const placeholder = (rest as Record<string, unknown>)[key];
    if (!Array.isArray(placeholder) || placeholder.length !== 0) return null;
    (rest as Record<string, unknown>)[key] = elements;
    return { value: rest };
  } catch {
    return null;
  }
}
