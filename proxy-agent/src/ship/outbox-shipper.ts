/**
 * Moves records from the local outbox to the cloud: batches of up to `batchSize` records at least
 * every `intervalMs`, one batch in flight, exponential backoff with jitter on failure,
 * `Retry-After` honoured, permanent errors reported once. Nothing is lost on failure: the cursor
 * only moves when the cloud answers 200, and the cloud de-duplicates re-sent records.
 */
import type { IngestBatch } from "../wire";
import { backoffDelay, type BackoffOptions } from "./backoff";
import type { IngestClient, IngestOutcome } from "./ingest-client";
import type { Outbox } from "./outbox";
import type { ShipStatus } from "./ship-status";

export interface ShipperOptions {
  serverId: string;
  agentVersion: string;
  cloudUrl: string;
  batchSize?: number;
  intervalMs?: number;
  maxDiskBytes?: number;
  backoff?: BackoffOptions;
  log: (level: "info" | "warn" | "error", message: string) => void;
  onStatus?: (status: ShipStatus) => void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

export class OutboxShipper {
  private readonly batchSize: number;
  private currentBatchSize: number;
  private readonly stop = new AbortController();
  private wake = new AbortController();
  private running: Promise<void> | undefined;
  private failures = 0;
  private lastErrorReported: string | null = null;
  readonly status: ShipStatus;

  constructor(
    private readonly outbox: Outbox,
    private readonly client: Pick<IngestClient, "send">,
    private readonly o: ShipperOptions,
  ) {
    this.batchSize = o.batchSize ?? 500;
    this.currentBatchSize = this.batchSize;
    this.status = {
      cloudUrl: o.cloudUrl,
      state: "starting",
      lastSuccessAt: null,
      lastAttemptAt: null,
      lastError: null,
      backlog: 0,
      dropped: 0,
      shippedTotal: 0,
      updatedAt: Date.now(),
    };
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Ship now instead of at the next interval (e.g. `batchSize` records are waiting). */
  nudge(): void {
    this.wake.abort();
  }

  /** Stops after the batch in flight; with `drain`, first ships what is pending (bounded by `drainMs`). */
  async close(options: { drain?: boolean; drainMs?: number } = {}): Promise<void> {
    if (options.drain) {
      const deadline = Date.now() + (options.drainMs ?? 5_000);
      while (Date.now() < deadline && !this.stopped()) {
        const outcome = await this.shipOnce();
        if (outcome !== "shipped") break;
      }
    }
    this.stop.abort();
    this.wake.abort();
    await this.running;
  }

  /** Ships pending batches until the outbox is empty or an attempt fails. */
  private async loop(): Promise<void> {
    const sleep = this.o.sleep ?? defaultSleep;
    while (!this.stop.signal.aborted) {
      let outcome: "idle" | "shipped" | "failed" | "stopped";
      do {
        outcome = await this.shipOnce();
      } while (outcome === "shipped" && !this.stop.signal.aborted);
      if (outcome === "stopped") return;
      const delay = outcome === "failed" ? this.retryDelay : (this.o.intervalMs ?? 2_000);
      this.wake = new AbortController();
      const both = AbortSignal.any([this.stop.signal, ...(outcome === "failed" ? [] : [this.wake.signal])]);
      await sleep(delay, both);
    }
  }

  private retryDelay = 0;

  private stopped(): boolean {
    return this.status.state === "stopped";
  }

  private async shipOnce(): Promise<"idle" | "shipped" | "failed" | "stopped"> {
    if (this.stopped()) return "stopped";
    // The cap matters only while the cloud is unreachable; counting rows every cycle would be wasted work.
    if (this.o.maxDiskBytes && this.failures > 0) {
      const dropped = this.outbox.enforceCap(this.o.maxDiskBytes);
      if (dropped > 0) this.o.log("warn", `local store over its ${formatBytes(this.o.maxDiskBytes)} cap while the cloud is unreachable: dropped the ${dropped} oldest unsent records (reported to the cloud when it is back)`);
    }
    const batch = this.outbox.next(this.currentBatchSize);
    this.refreshStats();
    if (!batch || (batch.records.length === 0 && batch.snapshots.length === 0)) {
      this.publish();
      return "idle";
    }
    const body: IngestBatch = {
      agent: { name: "tapline", version: this.o.agentVersion, serverId: this.o.serverId },
      records: batch.records,
      snapshots: batch.snapshots,
      dropped: this.outbox.stats().dropped,
    };
    this.status.lastAttemptAt = Date.now();
    const outcome = await this.client.send(body);
    return this.apply(outcome, () => this.outbox.ack(batch.cursor), batch.records.length);
  }

  private apply(outcome: IngestOutcome, ack: () => void, count: number): "shipped" | "failed" | "stopped" {
    switch (outcome.kind) {
      case "ok": {
        ack();
        if (this.status.state === "retrying") this.o.log("info", `cloud reachable again; shipping resumed`);
        this.failures = 0;
        this.lastErrorReported = null;
        this.status.state = "ok";
        this.status.lastSuccessAt = Date.now();
        this.status.lastError = null;
        this.status.shippedTotal += outcome.response.accepted;
        // Grow back towards the configured size after a 413 made batches smaller.
        this.currentBatchSize = Math.min(this.batchSize, this.currentBatchSize * 2);
        this.refreshStats();
        this.publish();
        return "shipped";
      }
      case "too_large": {
        if (count <= 1) return this.permanent(`the cloud refuses even a single record as too large: ${outcome.message}`);
        this.currentBatchSize = Math.max(1, Math.floor(count / 2));
        this.o.log("warn", `cloud answered 413 for ${count} records; retrying with batches of ${this.currentBatchSize}`);
        this.retryDelay = 0;
        return "failed";
      }
      case "retry": {
        this.failures++;
        this.retryDelay = outcome.retryAfterMs ?? backoffDelay(this.failures, this.o.backoff ?? { baseMs: 1_000, maxMs: 300_000 });
        this.status.state = "retrying";
        this.status.lastError = outcome.message;
        // One line per distinct problem, not one per attempt.
        if (this.lastErrorReported !== outcome.message) {
          this.o.log("warn", `shipping to the cloud failed (${outcome.message}); records are kept on disk and retried with backoff`);
          this.lastErrorReported = outcome.message;
        }
        this.publish();
        return "failed";
      }
      case "permanent":
        return this.permanent(
          outcome.status === 401 || outcome.status === 403
            ? `the cloud rejected the API key (${outcome.code}): ${outcome.message}. Records stay in the local store; restart with a valid --api-key to ship them.`
            : `the cloud rejected a batch (HTTP ${outcome.status} ${outcome.code}): ${outcome.message}. Records stay in the local store; shipping is paused until restart.`,
        );
    }
  }

  private permanent(message: string): "stopped" {
    this.status.state = "stopped";
    this.status.lastError = message;
    this.o.log("error", message);
    this.publish();
    return "stopped";
  }

  private refreshStats(): void {
    const s = this.outbox.stats();
    this.status.backlog = s.backlog;
    this.status.dropped = s.dropped;
  }

  private publish(): void {
    this.status.updatedAt = Date.now();
    this.o.onStatus?.({ ...this.status });
  }
}

function formatBytes(n: number): string {
  return n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GiB` : `${Math.round(n / (1 << 20))} MiB`;
}
