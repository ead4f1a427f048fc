/**
 * Tunnel authorization by the Tapline cloud: API keys are the project keys users create in the
 * dashboard, and names are reserved per organization in the cloud's database. The relay calls the
 * cloud with the agent's own key, so it holds no credential of its own.
 */
import type { NameReservation, TunnelAuthorizer, TunnelPrincipal } from "./auth";

export class CloudAuthorizerError extends Error {
  override readonly name = "CloudAuthorizerError";
}

export class CloudAuthorizer implements TunnelAuthorizer {
  // The key stays attached to the principal object in memory only; it is never logged or stored.
  private readonly keys = new WeakMap<TunnelPrincipal, string>();

  constructor(
    private readonly cloudUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async authorize(apiKey: string): Promise<TunnelPrincipal | null> {
    const res = await this.post("/api/v1/tunnels/authorize", apiKey, {});
    if (res.status === 401 || res.status === 403) return null;
    if (res.status !== 200) throw new CloudAuthorizerError(`the cloud answered ${res.status} to a tunnel authorization`);
    const body = (await res.json()) as { orgId: string; projectId: string; keyId: string };
    const principal: TunnelPrincipal = { orgId: body.orgId, projectId: body.projectId, keyId: body.keyId };
    this.keys.set(principal, apiKey);
    return principal;
  }

  async reserveName(principal: TunnelPrincipal, name: string): Promise<NameReservation> {
    const key = this.keys.get(principal);
    if (!key) throw new CloudAuthorizerError("reserveName called with a principal this authorizer did not issue");
    const res = await this.post("/api/v1/tunnels/reserve", key, { name });
    if (res.status === 200) return "ok";
    if (res.status === 409) return "taken";
    if (res.status === 403) return "revoked";
    throw new CloudAuthorizerError(`the cloud answered ${res.status} to a name reservation`);
  }

  private async post(path: string, apiKey: string, body: unknown): Promise<Response> {
    try {
      return await fetch(new URL(path, this.cloudUrl), {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new CloudAuthorizerError(`cannot reach the cloud at ${this.cloudUrl}: ${(e as Error).message}`);
    }
  }
}
