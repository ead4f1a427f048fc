/**
 * Errors are values with a stable code (sent over the wire in RESET/GOAWAY and shown to users)
 * and a message a person can act on.
 */
export type TunnelErrorCode =
  | "protocol_error"
  | "frame_too_large"
  | "flow_control_error"
  | "stream_closed"
  | "stream_reset"
  | "connection_closed"
  | "cancelled"
  | "too_many_streams"
  | "local_unreachable"
  | "local_error"
  | "headers_too_large"
  | "body_too_large"
  | "response_timeout"
  | "going_away"
  | "replaced";

export class TunnelError extends Error {
  constructor(
    readonly code: TunnelErrorCode | (string & {}),
    message: string,
  ) {
    super(message);
    this.name = "TunnelError";
  }
}

export class ProtocolError extends TunnelError {
  constructor(code: TunnelErrorCode, message: string) {
    super(code, message);
    this.name = "ProtocolError";
  }
}
