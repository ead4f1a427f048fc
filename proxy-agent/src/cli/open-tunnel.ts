import type { Logger } from "../config/types";
import { CliError } from "./cli-error";
import { EXIT } from "./exit-codes";

export const DEFAULT_RELAY_URL = "http://localhost:3100";

export type OpenTunnel = Awaited<ReturnType<typeof import("@tapline/tunnel-relay/agent").startTunnelAgent>>;

/** Connects a local URL to the relay (`tapline tunnel`, and `--tunnel` on the proxy commands); failures become CLI errors. */
export async function openTunnel(options: { relayUrl?: string; env: NodeJS.ProcessEnv; apiKey: string; name?: string; target: URL; log: Logger }): Promise<OpenTunnel> {
  const { startTunnelAgent } = await import("@tapline/tunnel-relay/agent");
  try {
    return await startTunnelAgent({
      relayUrl: options.relayUrl ?? options.env.TAPLINE_RELAY_URL ?? DEFAULT_RELAY_URL,
      apiKey: options.apiKey,
      name: options.name,
      target: options.target,
      log: (level, message) => options.log[level](message),
    });
  } catch (e) {
    const code = (e as { code?: string }).code ?? "tunnel_failed";
    throw new CliError(code, `tunnel not opened (${code}): ${(e as Error).message}`, code === "invalid_name" ? EXIT.usage : EXIT.failure);
  }
}
