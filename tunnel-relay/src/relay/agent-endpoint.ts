import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { muxOverWebSocket, keepMuxerAlive } from "../protocol/ws-transport";
import type { HelloMessage } from "../protocol/frame";
import type { TunnelAuthorizer, TunnelPrincipal } from "./auth";
import type { TunnelRegistry } from "./tunnel-registry";
import type { TunnelDirectory } from "./tunnel-directory";
import type { RelayLimits } from "./relay-config";
import type { RejectionReason, RelayMetrics } from "./metrics";
import type { RelayLogger } from "./relay-logger";
import type { UsageReporter } from "./usage-reporter";
import { randomTunnelName, tunnelNameProblem } from "./tunnel-name";
import { writeRawPublicError, type PublicError } from "./public-error";

/** Where agents connect. Everything else on the relay host is public traffic or health/metrics. */
export const AGENT_CONNECT_PATH = "/_tapline/tunnel";
/** Request header carrying the wanted tunnel name; absent = let the relay choose one. */
export const TUNNEL_NAME_HEADER = "tapline-tunnel-name";

export interface AgentEndpointDeps {
  authorizer: TunnelAuthorizer;
  registry: TunnelRegistry;
  directory: TunnelDirectory;
  limits: RelayLimits;
  metrics: RelayMetrics;
  log: RelayLogger;
  usage: UsageReporter | undefined;
  urlsFor(name: string): string[];
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

const DIRECTORY_CLAIM_PATIENCE_MS = 2000;

const COUNTED_REFUSALS = new Set<string>(["unauthorized", "name_taken", "invalid_name"] satisfies RejectionReason[]);

type NameOutcome = { name: string; assigned: boolean } | PublicError;

async function chooseName(authorizer: TunnelAuthorizer, principal: TunnelPrincipal, requested: string | undefined): Promise<NameOutcome> {
  if (requested) {
    const problem = tunnelNameProblem(requested);
    if (problem) return { status: 400, code: "invalid_name", message: problem };
    const reservation = await authorizer.reserveName(principal, requested);
    if (reservation === "taken") {
      return { status: 409, code: "name_taken", message: `tunnel name "${requested}" is reserved by another organization; choose another --name` };
    }
    if (reservation === "revoked") {
      return { status: 403, code: "name_revoked", message: `tunnel name "${requested}" was revoked by an admin of your organization` };
    }
    return { name: requested, assigned: false };
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const name = randomTunnelName();
    if ((await authorizer.reserveName(principal, name)) === "ok") return { name, assigned: true };
  }
  return { status: 503, code: "no_name_available", message: "could not find a free random tunnel name; try again" };
}

/**
 * Authenticates an agent before the WebSocket is accepted (failures are plain HTTP answers the
 * agent can show), reserves its name, then binds the connection to that name.
 */
export function createAgentEndpoint(deps: AgentEndpointDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1024 * 1024 });
  const refuse = (socket: Duplex, error: PublicError) => {
    if (COUNTED_REFUSALS.has(error.code)) deps.metrics.reject(error.code as RejectionReason);
    writeRawPublicError(socket, error);
  };

  return (req, socket, head) => {
    socket.on("error", () => {});
    void (async () => {
      const apiKey = bearerToken(req.headers.authorization);
      if (!apiKey) return refuse(socket, { status: 401, code: "unauthorized", message: "missing 'Authorization: Bearer <api key>'" });
      let principal: TunnelPrincipal | null;
      try {
        principal = await deps.authorizer.authorize(apiKey);
      } catch (error) {
        deps.log("error", "authorizer failed", { error: (error as Error).message });
        return refuse(socket, { status: 503, code: "auth_unavailable", message: "the relay cannot check API keys right now; retry shortly", headers: { "Retry-After": "5" } });
      }
      if (!principal) return refuse(socket, { status: 401, code: "unauthorized", message: "API key not recognized by this relay" });
      const requested = req.headers[TUNNEL_NAME_HEADER];
      let outcome: NameOutcome;
      try {
        outcome = await chooseName(deps.authorizer, principal, typeof requested === "string" && requested ? requested.toLowerCase() : undefined);
      } catch (error) {
        deps.log("error", "name reservation failed", { error: (error as Error).message });
        return refuse(socket, { status: 503, code: "auth_unavailable", message: "the relay cannot reserve tunnel names right now; retry shortly", headers: { "Retry-After": "5" } });
      }
      if ("status" in outcome) return refuse(socket, outcome);
      const identity = principal;
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, outcome.name, outcome.assigned, identity));
    })().catch((error: Error) => {
      deps.log("error", "agent connection failed", { error: error.message });
      socket.destroy();
    });
  };

  function accept(ws: import("ws").WebSocket, name: string, assigned: boolean, principal: TunnelPrincipal): void {
    const muxer = muxOverWebSocket(ws, "relay");
    keepMuxerAlive(muxer, deps.limits.pingIntervalMs);
    const kind = deps.registry.attach(name, principal, muxer);
    deps.metrics.agentConnections.inc({ kind });
    deps.usage?.track(name, principal, muxer);
    deps.log("info", "tunnel connected", { name, kind, orgId: principal.orgId, keyId: principal.keyId });
    muxer.once("close", (error) => deps.log("info", "tunnel disconnected", { name, reason: error?.message }));
    const hello: HelloMessage = {
      name,
      urls: deps.urlsFor(name),
      assigned,
      limits: { maxStreams: deps.limits.maxStreamsPerTunnel, maxRequestBodyBytes: deps.limits.maxRequestBodyBytes, initialWindow: muxer.config.initialWindow },
    };
    // HELLO waits for the directory, so "connected" on the agent means every instance can route to
    // it; but not for long: an unreachable Redis must not keep tunnels from working on this instance.
    const claimed = deps.directory
      .claim(name, () => deps.registry.evict(name, "replaced", `tunnel "${name}" was taken over by another relay instance`))
      .catch((error: Error) => deps.log("error", "could not record tunnel in directory; only this instance can route to it", { name, error: error.message }));
    const patience = new Promise<void>((resolve) => setTimeout(resolve, DIRECTORY_CLAIM_PATIENCE_MS).unref());
    void Promise.race([claimed, patience]).then(() => muxer.sendHello(hello));
  }
}
