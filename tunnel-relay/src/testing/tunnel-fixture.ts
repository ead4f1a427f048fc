import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { hashApiKey, KeysFileAuthorizer } from "../relay/keys-file-authorizer";
import { startRelay, type RunningRelay } from "../relay/start-relay";
import type { RelayOptions } from "../relay/relay-config";

export const ACME_KEY = "tpl_test_acme_0123456789";
export const GLOBEX_KEY = "tpl_test_globex_9876543210";

/** A temp dir with a keys file for two orgs (acme, globex); removed by cleanup(). */
export function tempKeysFile(): { dir: string; keysFile: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "tapline-tunnel-"));
  const keysFile = join(dir, "keys.json");
  writeFileSync(
    keysFile,
    JSON.stringify({
      keys: [
        { id: "acme-dev", orgId: "acme", sha256: hashApiKey(ACME_KEY) },
        { id: "globex-dev", orgId: "globex", sha256: hashApiKey(GLOBEX_KEY) },
      ],
      names: { globex: ["globex-owned"] },
    }),
  );
  return { dir, keysFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startTestRelay(keysFile: string, overrides: Partial<RelayOptions> = {}): Promise<RunningRelay> {
  return startRelay({ port: 0, host: "127.0.0.1", baseDomain: "tunnel.test", authorizer: new KeysFileAuthorizer(keysFile), ...overrides });
}

export async function listen(server: http.Server): Promise<URL> {
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export interface SimpleResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with full control of Host and nothing pooled, so tests see exactly one exchange. */
export function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? "GET", headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}
