import type { Worker } from "node:worker_threads";
import type { CallRecord, SchemaSnapshot } from "../wire";
import type { Logger } from "../config/types";
import type { RecordSink, TapCounters } from "./sink";
import type { PayloadPolicy } from "./store-writer";
import { packRecord, type FromWriter, type ToWriter, type WriterWorkerData } from "./writer-protocol";
import { spawnWriterWorker } from "./spawn-writer-worker";

export interface SqliteSinkOptions {
  dbPath: string;
  payloads: PayloadPolicy;
  log: Logger;
  /** Shared with the proxy so `recordErrors`/`recordsDropped` show up beside its own `tapErrors`. */
  counters?: TapCounters;
  /** 0 keeps everything. */
  retentionMs: number;
  /** A batch is posted after this long or at `batchSize` records, whichever comes first. */
  batchMs?: number;
  batchSize?: number;
  /** Records queued or being written beyond this are dropped (and counted): memory stays bounded if the disk stalls. */
  maxQueued?: number;
  pruneEveryMs?: number;
  /** Tests inject a worker; production spawns `writer-worker`. */
  spawnWorker?: (data: WriterWorkerData) => Worker;
  now?: () => number;
}

/**
 * The `RecordSink` the proxy writes to: collects records on the forwarding thread in O(1) per call and
 * posts them in batches to a worker that owns the SQLite file. Nothing here blocks, throws or waits on
 * disk: storage failures and overflows are counted in `counters` and logged once per kind.
 */
export class SqliteRecordSink implements RecordSink {
  readonly counters: TapCounters;
  private readonly worker: Worker;
  private readonly batchMs: number;
  private readonly batchSize: number;
  private readonly maxQueued: number;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Queued records, packed (see `PackedRecords`): their scalar fields in one flat array, payloads beside. */
  private packed: unknown[] = [];
  private payloads: CallRecord["payload"][] | null = null;
  private queued = 0;
  private snapshots: SchemaSnapshot[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  /** Records posted to the worker and not yet acknowledged, per batch number. */
  private readonly inFlight = new Map<number, number>();
  private inFlightRecords = 0;
  private nextBatch = 1;
  private nextRequest = 1;
  private readonly waiting = new Map<number, () => void>();
  private readonly loggedKinds = new Set<string>();
  private workerGone = false;
  private closing: Promise<void> | undefined;
  private readonly exited: Promise<void>;

  constructor(private readonly options: SqliteSinkOptions) {
    this.counters = options.counters ?? { tapErrors: 0, recordErrors: 0, recordsDropped: 0 };
    this.batchMs = options.batchMs ?? 50;
    this.batchSize = options.batchSize ?? 500;
    this.maxQueued = options.maxQueued ?? 20_000;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    const spawn = options.spawnWorker ?? spawnWriterWorker;
    this.worker = spawn({
      dbPath: options.dbPath,
      capturePayloads: options.payloads.capture,
      redactKeysSource: options.payloads.redactKeys.source,
      redactKeysFlags: options.payloads.redactKeys.flags.replace("g", ""),
    });
    this.worker.on("message", (m: FromWriter) => this.onMessage(m));
    this.worker.on("error", (e) => this.onWorkerGone(`recording stopped: writer failed (${e.message}); traffic continues unrecorded`));
    this.exited = new Promise((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.once("exit", () => this.onWorkerGone("recording stopped: writer exited; traffic continues unrecorded"));
    if (options.retentionMs > 0) {
      this.prune();
      this.pruneTimer = setInterval(() => this.prune(), options.pruneEveryMs ?? 3_600_000);
      this.pruneTimer.unref();
    }
  }

  record(record: CallRecord): void {
    try {
      if (this.workerGone || this.closing) {
        this.counters.recordErrors++;
        return;
      }
      if (this.queued + this.inFlightRecords >= this.maxQueued) {
        this.counters.recordsDropped++;
        this.logOnce("queue_full", `recording queue full (${this.maxQueued} records): dropping records until the writer catches up`);
        return;
      }
      packRecord(this.packed, record);
      if (record.payload !== null && record.payload !== undefined) {
        (this.payloads ??= new Array<CallRecord["payload"]>(this.queued).fill(null))[this.queued] = record.payload;
      } else if (this.payloads !== null) this.payloads.push(null);
      this.queued++;
      this.schedule();
    } catch {
      this.counters.recordErrors++;
    }
  }

  snapshot(snapshot: SchemaSnapshot): void {
    try {
      if (this.workerGone || this.closing) return;
      // Snapshots are few (one per list call) and deduplicated by the writer, so they are not bounded separately.
      this.snapshots.push(snapshot);
      this.schedule();
    } catch {
      this.counters.recordErrors++;
    }
  }

  async flush(): Promise<void> {
    this.postBatch();
    await this.request((id) => ({ type: "flush", id }));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.pruneTimer) clearInterval(this.pruneTimer);
      this.postBatch();
      await this.request((id) => ({ type: "close", id }));
      await this.exited;
    })();
    return this.closing;
  }

  private schedule(): void {
    if (this.queued >= this.batchSize) this.postBatch();
    else this.timer ??= setTimeout(() => this.postBatch(), this.batchMs);
  }

  private postBatch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued === 0 && this.snapshots.length === 0) return;
    const count = this.queued;
    const packed = this.packed;
    const payloads = this.payloads;
    const snapshots = this.snapshots;
    this.packed = [];
    this.payloads = null;
    this.queued = 0;
    this.snapshots = [];
    if (this.workerGone) {
      this.counters.recordErrors += count;
      return;
    }
    const batch = this.nextBatch++;
    this.inFlight.set(batch, count);
    this.inFlightRecords += count;
    this.post({ type: "batch", batch, count, rows: JSON.stringify(packed), payloads, snapshots });
  }

  private prune(): void {
    this.post({ type: "prune", cutoffMs: this.now() - this.options.retentionMs });
  }

  /** Sends a message that the worker answers with the same id; resolves at once if the worker is gone. */
  private request(make: (id: number) => ToWriter): Promise<void> {
    if (this.workerGone) return Promise.resolve();
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.post(make(id));
    });
  }

  private post(message: ToWriter): void {
    try {
      this.worker.postMessage(message);
    } catch (e) {
      this.onWorkerGone(`recording stopped: cannot reach the writer (${(e as Error).message})`);
    }
  }

  private onMessage(m: FromWriter): void {
    switch (m.type) {
      case "written":
        this.settle(m.batch);
        return;
      case "failed":
        this.settle(m.batch);
        this.counters.recordErrors += m.records;
        this.logOnce(`write:${m.code}`, `could not store records in ${this.options.dbPath} (${m.code}: ${m.message}); traffic continues, failures are counted`);
        return;
      case "pruned":
        if (m.removed > 0) this.log.debug(`retention: pruned ${m.removed} records`);
        return;
      case "prune_failed":
        this.logOnce(`prune:${m.code}`, `retention pruning failed (${m.code}: ${m.message})`);
        return;
      case "flushed":
      case "closed":
        this.waiting.get(m.id)?.();
        this.waiting.delete(m.id);
        return;
    }
  }

  private settle(batch: number): void {
    this.inFlightRecords -= this.inFlight.get(batch) ?? 0;
    this.inFlight.delete(batch);
  }

  private onWorkerGone(message: string): void {
    if (this.workerGone) return;
    this.workerGone = true;
    // Whatever was posted and not acknowledged is lost; count it so the totals stay honest.
    this.counters.recordErrors += this.inFlightRecords + this.queued;
    this.inFlight.clear();
    this.inFlightRecords = 0;
    this.packed = [];
    this.payloads = null;
    this.queued = 0;
    if (!this.closing) this.logOnce("worker", message);
    for (const resolve of this.waiting.values()) resolve();
    this.waiting.clear();
  }

  private logOnce(kind: string, message: string): void {
    if (this.loggedKinds.has(kind)) return;
    this.loggedKinds.add(kind);
    this.log.warn(message);
  }
}
