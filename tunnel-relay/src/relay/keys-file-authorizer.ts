import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { NameReservation, TunnelAuthorizer, TunnelPrincipal } from "./auth";
import { tunnelNameProblem } from "./tunnel-name";

/**
 * The self-hosting authorizer. Keys file (JSON):
 *
 *   { "keys": [{ "id": "alice-laptop", "orgId": "acme", "sha256": "<hex of SHA-256(key)>", "projectId": "optional" }],
 *     "names": { "acme": ["my-server"] } }
 *
 * Only hashes are stored; lookups hash the presented key and compare against every entry in
 * constant time. Names listed under "names" are reserved up front; others are reserved by the
 * first org that asks and kept in memory until the relay restarts. The file is re-read when its
 * mtime changes, so revoking a key needs no restart.
 */
export interface KeysFileEntry {
  id: string;
  orgId: string;
  sha256: string;
  projectId?: string;
}

interface KeysFileContent {
  keys: KeysFileEntry[];
  names?: Record<string, string[]>;
}

export class KeysFileError extends Error {
  readonly code = "keys_file_invalid";
  constructor(path: string, problem: string) {
    super(`keys file ${path}: ${problem}`);
  }
}

export function hashApiKey(apiKey: string): string {
  return createHash("sha256").update(apiKey, "utf8").digest("hex");
}

export class KeysFileAuthorizer implements TunnelAuthorizer {
  private keys: { entry: KeysFileEntry; digest: Buffer }[] = [];
  private readonly owners = new Map<string, string>();
  private loadedMtimeMs = -1;

  constructor(private readonly path: string) {
    this.reloadIfChanged();
  }

  async authorize(apiKey: string): Promise<TunnelPrincipal | null> {
    this.reloadIfChanged();
    const presented = createHash("sha256").update(apiKey, "utf8").digest();
    let match: KeysFileEntry | undefined;
    // Compare against every key so timing does not reveal how many entries precede the match.
    for (const { entry, digest } of this.keys) {
      if (timingSafeEqual(digest, presented) && !match) match = entry;
    }
    if (!match) return null;
    return { orgId: match.orgId, keyId: match.id, ...(match.projectId ? { projectId: match.projectId } : {}) };
  }

  async reserveName({ orgId }: TunnelPrincipal, name: string): Promise<NameReservation> {
    const owner = this.owners.get(name);
    if (owner === undefined) {
      this.owners.set(name, orgId);
      return "ok";
    }
    return owner === orgId ? "ok" : "taken";
  }

  private reloadIfChanged(): void {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch (error) {
      throw new KeysFileError(this.path, `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    if (mtimeMs === this.loadedMtimeMs) return;
    const content = this.parse(readFileSync(this.path, "utf8"));
    this.keys = content.keys.map((entry) => ({ entry, digest: Buffer.from(entry.sha256, "hex") }));
    for (const [orgId, names] of Object.entries(content.names ?? {})) {
      for (const name of names) this.owners.set(name, orgId);
    }
    this.loadedMtimeMs = mtimeMs;
  }

  private parse(text: string): KeysFileContent {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new KeysFileError(this.path, `not valid JSON (${(error as Error).message})`);
    }
    const content = value as Partial<KeysFileContent>;
    if (!content || !Array.isArray(content.keys)) throw new KeysFileError(this.path, `expected {"keys": [...]}`);
    content.keys.forEach((entry, i) => {
      if (typeof entry?.id !== "string" || typeof entry.orgId !== "string") throw new KeysFileError(this.path, `keys[${i}] needs "id" and "orgId" strings`);
      if (typeof entry.sha256 !== "string" || !/^[0-9a-f]{64}$/i.test(entry.sha256)) {
        throw new KeysFileError(this.path, `keys[${i}].sha256 must be 64 hex digits (SHA-256 of the key, e.g. printf %s "$KEY" | sha256sum)`);
      }
    });
    for (const [orgId, names] of Object.entries(content.names ?? {})) {
      if (!Array.isArray(names)) throw new KeysFileError(this.path, `names.${orgId} must be an array`);
      for (const name of names) {
        const problem = tunnelNameProblem(name);
        if (problem) throw new KeysFileError(this.path, problem);
      }
    }
    return content as KeysFileContent;
  }
}

/** Rejects everything: what a relay started without a keys file uses, so it is never open by accident. */
export class NoKeysAuthorizer implements TunnelAuthorizer {
  async authorize(): Promise<null> {
    return null;
  }
  async reserveName(): Promise<NameReservation> {
    return "taken";
  }
}
