/**
 * Tunnel authorization by the Tapline cloud: API keys are the project keys users create in the
 * dashboard, and names are reserved per organization in the cloud's database. The relay calls the
 * cloud with the agent's own key, so it holds no credential of its own. Usage reports go with the
 * same key: the cloud accepts figures only for names of that key's organization, so a relay can
 * neither read nor write another organization's tunnels.
 */
import type { NameReservation, TunnelAuthorizer, TunnelPrincipal } from "./auth";
import type { TunnelUsageSink, UsageDelivery } from "./usage-reporter";
import type { TunnelSessionUsage, TunnelUsageReport } from "./usage-report";

export class CloudAuthorizerError extends Error {
  override readonly name = "CloudAuthorizerError";
}

export class CloudAuthorizer implements TunnelAuthorizer, TunnelUsageSink {
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
    const key = this.keyOf(principal);
    const res = await this.post("/api/v1/tunnels/reserve", key, { name });
    if (res.status === 200) return "ok";
    if (res.status === 409) return "taken";
    if (res.status === 403) return "revoked";
    throw new CloudAuthorizerError(`the cloud answered ${res.status} to a name reservation`);
  }

  async report(principal: TunnelPrincipal, sessions: TunnelSessionUsage[]): Promise<UsageDelivery> {
    const body: TunnelUsageReport = { sessions };
    const res = await this.post("/api/v1/tunnels/usage", this.keyOf(principal), body);
    await res.body?.cancel();
    if (res.status === 200) return "accepted";
    if (res.status >= 400 && res.status < 500) return "rejected";
    throw new CloudAuthorizerError(`the cloud answered ${res.status} to a usage report`);
  }

  private keyOf(principal: TunnelPrincipal): string {
    const key = this.keys.get(principal);
    if (!key) throw new CloudAuthorizerError("called with a principal this authorizer did not issue");
    return key;
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
