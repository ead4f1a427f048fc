import type { ProxyRuntime, ResolvedProxyConfig, UpstreamConfig } from "../../config/types";
import { MemoryRecordSink } from "./memory-record-sink";
import { TestLogger } from "./test-logger";

/** A runtime as the CLI would resolve it, listening on a free port, with an in-memory sink. */
export function testRuntime(upstream: UpstreamConfig, overrides: Partial<ResolvedProxyConfig> = {}): ProxyRuntime & { sink: MemoryRecordSink; log: TestLogger } {
  const config: ResolvedProxyConfig = {
    serverId: "test-server",
    upstream,
    listen: upstream.kind === "stdio" ? undefined : { host: "127.0.0.1", port: 0 },
    headers: {},
    capturePayloads: false,
    redactKeys: /token|secret|password|api[-_]?key/i,
    pairingTimeoutMs: 60_000,
    maxTapBytes: 4 * 1024 * 1024,
    ...overrides,
  };
  return { config, sink: new MemoryRecordSink(), log: new TestLogger() };
}
