/**
 * The header lines both sides of the proxy act on, collected while a head is read: the ones that frame
 * an HTTP/1.1 message (read the same way for client requests and upstream responses, since a
 * disagreement between two parsers is how messages get smuggled) and the MCP session id.
 */
export class MessageHeaders {
  /** -1 when absent. */
  contentLength = -1;
  transferEncoding: string | undefined = undefined;
  connection: string | undefined = undefined;
  sessionId: string | undefined = undefined;

  /** Takes one header line; false for a malformed Content-Length or one that contradicts an earlier one. */
  read(name: string, value: string): boolean {
    // Only a few names matter: most lines are passed over by their length alone.
    switch (name.length) {
      case 10:
        if (name.toLowerCase() === "connection") this.connection = joinList(this.connection, value);
        return true;
      case 14: {
        const lower = name.toLowerCase();
        if (lower === "content-length") {
          if (!/^\d{1,15}$/.test(value)) return false;
          const length = Number(value);
          if (this.contentLength !== -1 && this.contentLength !== length) return false;
          this.contentLength = length;
        } else if (lower === "mcp-session-id" && this.sessionId === undefined) this.sessionId = value;
        return true;
      }
      case 17:
        if (name.toLowerCase() === "transfer-encoding") this.transferEncoding = joinList(this.transferEncoding, value);
        return true;
      default:
        return true;
    }
  }
}

/** Repeated list-valued lines read as one comma-separated value. */
function joinList(previous: string | undefined, value: string): string {
  return previous === undefined ? value : `${previous}, ${value}`;
}
