/**
 * Prometheus text exposition written by hand: a handful of counters, gauges and one histogram do
 * not justify a dependency.
 */
type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    this.incLabelKey(labelKey(labels), by);
  }
  /** For the data path: the label key rendered once, up front, instead of on every chunk. */
  incLabelKey(key: string, by = 1): void {
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} counter\n`;
    if (this.values.size === 0) out += `${this.name} 0\n`;
    for (const [key, value] of this.values) out += `${this.name}${key} ${value}\n`;
    return out;
  }
}

class Gauge {
  constructor(readonly name: string, readonly help: string, private readonly read: () => number) {}
  render(): string {
    return `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} gauge\n${this.name} ${this.read()}\n`;
  }
}

class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, private readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    this.buckets.forEach((bound, i) => {
      if (value <= bound) this.counts[i]! += 1;
    });
  }
  render(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    this.buckets.forEach((bound, i) => (out += `${this.name}_bucket{le="${bound}"} ${this.counts[i]}\n`));
    out += `${this.name}_bucket{le="+Inf"} ${this.count}\n${this.name}_sum ${this.sum}\n${this.name}_count ${this.count}\n`;
    return out;
  }
}

export type RejectionReason =
  | "tunnel_not_found"
  | "tunnel_offline"
  | "too_many_streams"
  | "body_too_large"
  | "headers_too_large"
  | "response_timeout"
  | "upstream_failed"
  | "unauthorized"
  | "name_taken"
  | "invalid_name";

export class RelayMetrics {
  readonly requests = new Counter("tapline_tunnel_requests_total", "Public requests forwarded into tunnels, by response status class");
  readonly bytes = new Counter("tapline_tunnel_bytes_total", "Body bytes through tunnels; in = public to local server, out = back");
  readonly rejections = new Counter("tapline_tunnel_rejections_total", "Requests and agent connections refused by the relay, by reason");
  readonly agentConnections = new Counter("tapline_tunnel_agent_connections_total", "Agent WebSocket connections accepted, by kind (new|reconnect|replace)");
  readonly peerForwards = new Counter("tapline_tunnel_peer_forwards_total", "Requests forwarded to the relay instance that holds the tunnel");
  readonly responseHeaderSeconds = new Histogram(
    "tapline_tunnel_response_header_seconds",
    "Time from opening a stream to the local server's response head",
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  );
  private readonly gauges: Gauge[] = [];
  private readonly statusClassKeys = ["1xx", "2xx", "3xx", "4xx", "5xx"].map((status) => labelKey({ status }));
  private readonly directionKeys = { in: labelKey({ direction: "in" }), out: labelKey({ direction: "out" }) };

  /** A response head forwarded to a public client, counted by status class. */
  countResponse(status: number): void {
    const key = this.statusClassKeys[Math.floor(status / 100) - 1];
    if (key) this.requests.incLabelKey(key);
    else this.requests.inc({ status: `${Math.floor(status / 100)}xx` });
  }

  /** Body bytes through tunnels: in = public client to local server, out = back. */
  countBytes(direction: "in" | "out", bytes: number): void {
    this.bytes.incLabelKey(this.directionKeys[direction], bytes);
  }

  gauge(name: string, help: string, read: () => number): void {
    this.gauges.push(new Gauge(name, help, read));
  }

  reject(reason: RejectionReason): void {
    this.rejections.inc({ reason });
  }

  render(): string {
    return [...this.gauges.map((g) => g.render()), this.requests.render(), this.bytes.render(), this.rejections.render(), this.agentConnections.render(), this.peerForwards.render(), this.responseHeaderSeconds.render()].join("");
  }
}
