/**
 * Authenticates machine requests (`Authorization: Bearer tpl_…`) against project API keys.
 *
 * - Looks the key up by its SHA-256 (unique index), then compares the hashes in constant time.
 * - Successful lookups are cached for CACHE_TTL_MS (5 s) per process, so a hot ingestion path
 *   doesn't hit the database per request. A revoke made through this process's tRPC API evicts
 *   the entry at once; other instances honour it within 5 s at most.
 * - `lastUsedAt` is written at most once a minute per key (the condition is in the UPDATE, so
 *   many instances don't multiply the writes).
 * - Every failure is a value with status 401, a code and a message a user can act on; never a throw.
 */
import { timingSafeEqual } from "node:crypto";
import type { Db } from "../db/client";
import { API_KEY_LENGTH, API_KEY_PATTERN, API_KEY_PREFIX, hashApiKey } from "./api-key";

export const CACHE_TTL_MS = 5_000;
export const LAST_USED_RESOLUTION_MS = 60_000;

export interface VerifiedApiKey {
  id: string;
  name: string;
  prefix: string;
  projectId: string;
  projectName: string;
  orgId: string;
  orgName: string;
  scopes: string[];
}

export type ApiKeyFailureCode = "missing_api_key" | "malformed_authorization" | "malformed_api_key" | "invalid_api_key" | "revoked_api_key";

export type ApiKeyVerification =
  | { ok: true; key: VerifiedApiKey }
  | { ok: false; status: 401; code: ApiKeyFailureCode; message: string };

function failure(code: ApiKeyFailureCode, message: string): ApiKeyVerification {
  return { ok: false, status: 401, code, message };
}

/** Extract the key from an Authorization header value, or explain what is wrong with it. */
export function parseAuthorization(header: string | null | undefined): { ok: true; key: string } | Extract<ApiKeyVerification, { ok: false }> {
  const value = header?.trim() ?? "";
  if (!value) {
    return failure("missing_api_key", "Missing API key: send it as `Authorization: Bearer tpl_…` (create one in your project's settings).") as Extract<ApiKeyVerification, { ok: false }>;
  }
  const match = /^Bearer\s+(\S+)$/i.exec(value);
  if (!match) {
    return failure("malformed_authorization", "Malformed Authorization header: expected `Bearer tpl_…`.") as Extract<ApiKeyVerification, { ok: false }>;
  }
  const key = match[1] ?? "";
  if (!key.startsWith(API_KEY_PREFIX) || key.length !== API_KEY_LENGTH || !API_KEY_PATTERN.test(key)) {
    return failure(
      "malformed_api_key",
      `Malformed API key: Tapline keys start with \`${API_KEY_PREFIX}\` and are ${API_KEY_LENGTH} characters long. Check that it was copied whole.`,
    ) as Extract<ApiKeyVerification, { ok: false }>;
  }
  return { ok: true, key };
}

interface CacheEntry {
  key: VerifiedApiKey;
  hash: string;
  expiresAt: number;
  lastUsedAt: number;
}

export class ApiKeyVerifier {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly db: () => Db,
    private readonly now: () => number = Date.now,
    private readonly cacheTtlMs = CACHE_TTL_MS,
  ) {}

  async verify(header: string | null | undefined): Promise<ApiKeyVerification> {
    const parsed = parseAuthorization(header);
    if (!parsed.ok) return parsed;
    const hash = hashApiKey(parsed.key);
    const now = this.now();

    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now && safeEqualHex(cached.hash, hash)) {
      await this.touch(cached, now);
      return { ok: true, key: cached.key };
    }
    this.cache.delete(hash);

    const row = await this.db().apiKey.findUnique({
      where: { hash },
      select: {
        id: true,
        name: true,
        prefix: true,
        hash: true,
        scopes: true,
        revokedAt: true,
        lastUsedAt: true,
        project: { select: { id: true, name: true, org: { select: { id: true, name: true } } } },
      },
    });
    if (!row || !safeEqualHex(row.hash, hash)) {
      return failure("invalid_api_key", "Invalid API key: no project has this key. It may have been mistyped or belong to another Tapline instance.");
    }
    if (row.revokedAt) {
      return failure("revoked_api_key", `This API key (${row.prefix}…) was revoked on ${row.revokedAt.toISOString().slice(0, 10)}. Create a new key in the project's settings.`);
    }
    const entry: CacheEntry = {
      hash,
      expiresAt: now + this.cacheTtlMs,
      lastUsedAt: row.lastUsedAt?.getTime() ?? 0,
      key: {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        scopes: row.scopes,
        projectId: row.project.id,
        projectName: row.project.name,
        orgId: row.project.org.id,
        orgName: row.project.org.name,
      },
    };
    this.cache.set(hash, entry);
    if (this.cache.size > 10_000) this.sweep(now);
    await this.touch(entry, now);
    return { ok: true, key: entry.key };
  }

  /** Drop a key from this process's cache (called when it is revoked or its project deleted). */
  evict(keyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.key.id === keyId) this.cache.delete(hash);
  }

  evictProject(projectId: string): void {
    for (const [hash, entry] of this.cache) if (entry.key.projectId === projectId) this.cache.delete(hash);
  }

  private async touch(entry: CacheEntry, now: number): Promise<void> {
    if (now - entry.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
    entry.lastUsedAt = now;
    const at = new Date(now);
    await this.db().apiKey.updateMany({
      where: { id: entry.key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now - LAST_USED_RESOLUTION_MS) } }] },
      data: { lastUsedAt: at },
    });
  }

  private sweep(now: number): void {
    for (const [hash, entry] of this.cache) if (entry.expiresAt <= now) this.cache.delete(hash);
  }
}

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
