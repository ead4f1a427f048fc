export type TransportErrorCode = "listen_failed" | "upstream_unreachable" | "spawn_failed" | "invalid_upstream";

/** A failure of the proxy's own plumbing, with a code callers can branch on and a message users can act on. */
export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: unknown,
  ) {
    super(message, options === undefined ? undefined : { cause: options });
    this.name = "TransportError";
  }
}
