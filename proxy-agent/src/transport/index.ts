import type { ProxyRuntime, RunningProxy } from "../config/types";
import type { TapCounters } from "../record/sink";
import { CallTap } from "../mcp/call-tap";
import { startStdioBridge } from "./stdio-bridge";
import { startStdioHttpServer } from "./stdio-http-server";

export { TransportError, type TransportErrorCode } from "./transport-error";

/**
 * Starts the proxy for `runtime.config`: HTTP forwarding for `http` and `sse` upstreams; for a
 * `stdio` upstream, a stdin/stdout bridge, or a Streamable HTTP endpoint at `/mcp` when `listen` is set.
 */
export async function runProxy(runtime: ProxyRuntime): Promise<RunningProxy> {
  const { config } = runtime;
  const counters: TapCounters = { tapErrors: 0, recordErrors: 0, recordsDropped: 0 };
  const tap = new CallTap({
    serverId: config.serverId,
    transport: config.upstream.kind,
    sink: runtime.sink,
    log: runtime.log,
    counters,
    pairingTimeoutMs: config.pairingTimeoutMs,
    capturePayloads: config.capturePayloads,
    redactKeys: config.redactKeys,
  });
  let running: RunningProxy;
  try {
    const upstream = config.upstream;
    if (upstream.kind === "stdio") {
      running = config.listen === undefined ? await startStdioBridge(runtime, tap, upstream) : await startStdioHttpServer(runtime, tap, upstream, config.listen);
    } else {
      // Loaded on demand: a stdio proxy never needs the HTTP forwarder.
      const { startHttpForwarding } = await import("./http-forwarder");
      running = await startHttpForwarding(runtime, tap, upstream.kind, upstream.remoteUrl);
    }
  } catch (err) {
    tap.close();
    throw err;
  }
  return withTapClosed(running, tap, counters);
}

/** The tap outlives the transport by one step: calls still open when it stops are recorded, not lost. */
function withTapClosed(running: RunningProxy, tap: CallTap, counters: TapCounters): RunningProxy {
  const done = running.done.then((code) => {
    tap.close();
    return code;
  });
  return {
    url: running.url,
    done,
    counters,
    async close() {
      await running.close();
      tap.close();
    },
  };
}
