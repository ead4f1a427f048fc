/**
 * Header handling shared by both ends of the tunnel. Headers travel as flat raw arrays so case,
 * order and duplicates survive (MCP needs Mcp-Session-Id, Last-Event-ID, WWW-Authenticate… intact).
 */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]);

/** Drop hop-by-hop headers (and any named in Connection); keep Connection/Upgrade for upgrades. */
export function stripHopByHop(raw: readonly string[], keepUpgrade = false): string[] {
  const named = new Set<string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === "connection") {
      for (const token of raw[i + 1]!.split(",")) named.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const upgradeHeader = name === "connection" || name === "upgrade";
    if (keepUpgrade && upgradeHeader) {
      out.push(raw[i]!, raw[i + 1]!);
      continue;
    }
    if (HOP_BY_HOP.has(name) || (named.has(name) && !(keepUpgrade && name === "upgrade"))) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

export function headerValue(raw: readonly string[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === wanted) return raw[i + 1];
  return undefined;
}

export function withoutHeaders(raw: readonly string[], names: readonly string[]): string[] {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!drop.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

export function rawHeadersSize(raw: readonly string[]): number {
  let size = 0;
  for (const part of raw) size += Buffer.byteLength(part) + 2;
  return size;
}

/** Serialize a status line and headers for a raw socket (upgrade responses bypass ServerResponse). */
export function formatResponseHead(status: number, statusMessage: string, raw: readonly string[]): string {
  let head = `HTTP/1.1 ${status} ${statusMessage}\r\n`;
  for (let i = 0; i + 1 < raw.length; i += 2) head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return head + "\r\n";
}
