/**
 * Project API keys: `tpl_` + base62 of 32 random bytes (43 characters). Only the SHA-256 of the
 * whole key is stored; the first characters (`tpl_` + 8) are kept as a visible prefix.
 */
import { createHash, randomBytes } from "node:crypto";

export const API_KEY_PREFIX = "tpl_";
const SECRET_BYTES = 32;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 32 bytes → at most 43 base62 digits; left-padded so every key has the same length. */
export const API_KEY_SECRET_LENGTH = 43;
export const API_KEY_LENGTH = API_KEY_PREFIX.length + API_KEY_SECRET_LENGTH;
const VISIBLE_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
export const API_KEY_PATTERN = /^tpl_[0-9A-Za-z]{43}$/;

function base62(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString("hex")}`);
  let out = "";
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(API_KEY_SECRET_LENGTH, "0");
}

export interface GeneratedApiKey {
  /** The full key: show it to the user once, never store it. */
  key: string;
  /** `tpl_` + 8 characters, safe to display in lists. */
  prefix: string;
  /** SHA-256 (hex) of the full key: what the database stores. */
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const key = API_KEY_PREFIX + base62(randomBytes(SECRET_BYTES));
  return { key, prefix: apiKeyPrefix(key), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function apiKeyPrefix(key: string): string {
  return key.slice(0, VISIBLE_PREFIX_LENGTH);
}
