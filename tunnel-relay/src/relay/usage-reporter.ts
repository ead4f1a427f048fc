/**
 * Tells the cloud what each tunnel connection on this instance carries: at connect, every
 * interval while it lives (which doubles as its heartbeat), and once more when it closes.
 * Reads the muxer's own counters, so the data path does no extra work for it.
 */
import { randomUUID } from "node:crypto";
import type { Muxer } from "../protocol/muxer";
import type { TunnelPrincipal } from "./auth";
import type { RelayLogger } from "./relay-logger";
import { MAX_SESSIONS_PER_REPORT, USAGE_STALE_INTERVALS, type TunnelSessionUsage } from "./usage-report";

/** `rejected`: the cloud refused the report for good (4xx); retrying would not help. */
export type UsageDelivery = "accepted" | "rejected";

export interface TunnelUsageSink {
  /** Deliver sessions of one principal with its credentials; throws when the cloud cannot be reached (retried later). */
  report(principal: TunnelPrincipal, sessions: TunnelSessionUsage[]): Promise<UsageDelivery>;
}

interface TrackedSession {
  sessionId: string;
  name: string;
  principal: TunnelPrincipal;
  muxer: Muxer;
  connectedAt: number;
  ended: boolean;
  failures: number;
}

/** An ended session whose last report keeps failing is given up after this many attempts. */
const MAX_FAILED_FINAL_REPORTS = 5;
/** Connects and disconnects close together go out in one round of reports. */
const SOON_MS = 50;

export class UsageReporter {
  private readonly sessions = new Set<TrackedSession>();
  private readonly dirty = new Set<TrackedSession>();
  private readonly timer: NodeJS.Timeout;
  private soonTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly sink: TunnelUsageSink,
    private readonly intervalMs: number,
    private readonly log: RelayLogger,
  ) {
    this.timer = setInterval(() => void this.report([...this.sessions]), intervalMs);
    this.timer.unref();
  }

  /** Start counting an accepted agent connection. */
  track(name: string, principal: TunnelPrincipal, muxer: Muxer): void {
    const session: TrackedSession = { sessionId: randomUUID(), name, principal, muxer, connectedAt: Date.now(), ended: false, failures: 0 };
    this.sessions.add(session);
    this.reportSoon(session);
    muxer.once("close", () => {
      session.ended = true;
      this.reportSoon(session);
    });
  }

  /** Final reports of everything still tracked (call after the agents were told to go away). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.soonTimer);
    await this.running;
    await this.report([...this.sessions]);
  }

  private reportSoon(session: TrackedSession): void {
    this.dirty.add(session);
    this.soonTimer ??= setTimeout(() => {
      this.soonTimer = undefined;
      const due = [...this.dirty];
      this.dirty.clear();
      void this.report(due);
    }, SOON_MS);
    this.soonTimer.unref();
  }

  /** One round at a time, so a slow cloud gets no pile of concurrent rounds from us. */
  private report(due: TrackedSession[]): Promise<void> {
    const previous = this.running ?? Promise.resolve();
    const round = previous.then(() => this.deliver(due));
    this.running = round;
    void round.finally(() => {
      if (this.running === round) this.running = undefined;
    });
    return round;
  }

  private async deliver(due: TrackedSession[]): Promise<void> {
    const byKey = new Map<string, TrackedSession[]>();
    for (const session of due) {
      if (!this.sessions.has(session)) continue;
      const group = byKey.get(session.principal.keyId) ?? [];
      group.push(session);
      byKey.set(session.principal.keyId, group);
    }
    const batches: TrackedSession[][] = [];
    for (const group of byKey.values()) {
      for (let i = 0; i < group.length; i += MAX_SESSIONS_PER_REPORT) batches.push(group.slice(i, i + MAX_SESSIONS_PER_REPORT));
    }
    await Promise.all(batches.map((batch) => this.deliverBatch(batch)));
  }

  private async deliverBatch(batch: TrackedSession[]): Promise<void> {
    const now = Date.now();
    // Snapshot `ended` with the counts: a session that closes while this report is in flight must get another one.
    const snapshot = batch.map((s) => ({ session: s, usage: this.usageOf(s, now) }));
    let outcome: UsageDelivery | "failed";
    try {
      outcome = await this.sink.report(batch[0]!.principal, snapshot.map((s) => s.usage));
    } catch (error) {
      outcome = "failed";
      this.log("warn", "could not report tunnel usage to the cloud; retrying", { error: (error as Error).message, sessions: batch.length });
    }
    if (outcome === "rejected") this.log("warn", "the cloud refused a tunnel usage report", { keyId: batch[0]!.principal.keyId, sessions: batch.length });
    for (const { session, usage } of snapshot) {
      if (!usage.ended) continue;
      // A failed final report stays tracked and goes out again with the next interval's round.
      session.failures++;
      if (outcome !== "failed" || session.failures >= MAX_FAILED_FINAL_REPORTS) this.sessions.delete(session);
    }
  }

  private usageOf(session: TrackedSession, now: number): TunnelSessionUsage {
    const traffic = session.muxer.traffic;
    return {
      sessionId: session.sessionId,
      name: session.name,
      connectedForMs: Math.max(0, now - session.connectedAt),
      requests: traffic.streamsOpened,
      bytesIn: traffic.dataBytesSent,
      bytesOut: traffic.dataBytesReceived,
      ended: session.ended,
      staleAfterMs: this.intervalMs * USAGE_STALE_INTERVALS,
    };
  }
}
