/**
 * Who may open tunnels, and which names they own. The relay depends only on this interface:
 * the self-hosted relay uses {@link KeysFileAuthorizer}; the cloud plugs in one backed by its
 * API-key database.
 */
export interface TunnelPrincipal {
  orgId: string;
  projectId?: string;
  /** Identifies the key for logs and metrics; never the key itself. */
  keyId: string;
}

/** `revoked`: the organization owns the name but an admin revoked it; agents are refused until it is restored. */
export type NameReservation = "ok" | "taken" | "revoked";

export interface TunnelAuthorizer {
  /** The principal behind an API key, or null when the key is unknown or revoked. Must not log the key. */
  authorize(apiKey: string): Promise<TunnelPrincipal | null>;
  /**
   * Reserve `name` for the principal's organization. Idempotent: "ok" when the org already owns
   * the name, "taken" when another org does. Names are validated (see tunnel-name.ts) before this
   * is called. Takes the principal that `authorize` returned, so an implementation can act with
   * the caller's own credentials.
   */
  reserveName(principal: TunnelPrincipal, name: string): Promise<NameReservation>;
}
