/**
 * Worker thread entry: owns the SQLite connection so that libsql's synchronous calls never run on
 * the event loop that forwards traffic. Processes messages strictly in order, so a `flush` reply
 * means every batch posted before it has been written (or counted as failed).
 */
import { parentPort, workerData } from "node:worker_threads";
import { openStoreForWriting, type StoreDb } from "./store-database";
import { StoreWriter } from "./store-writer";
import { errorCode, type FromWriter, type ToWriter, type WriterWorkerData } from "./writer-protocol";

// After a failed open (read-only directory, full disk), try again at most this often rather than on every batch.
const REOPEN_AFTER_MS = 10_000;

const data = workerData as WriterWorkerData;
const port = parentPort!;
let db: StoreDb | undefined;
let writer: StoreWriter | undefined;
let openFailedAt = -Infinity;
let openError: unknown;

function reply(message: FromWriter): void {
  port.postMessage(message);
}

function ensureWriter(): StoreWriter {
  if (writer) return writer;
  if (Date.now() - openFailedAt < REOPEN_AFTER_MS) throw openError;
  try {
    db = openStoreForWriting(data.dbPath);
    writer = new StoreWriter(db, { capture: data.capturePayloads, redactKeys: new RegExp(data.redactKeysSource, data.redactKeysFlags) });
    return writer;
  } catch (e) {
    openFailedAt = Date.now();
    openError = e;
    throw e;
  }
}

function handle(message: ToWriter): void {
  switch (message.type) {
    case "batch":
      try {
        ensureWriter().writePacked(message, message.snapshots);
        reply({ type: "written", batch: message.batch, records: message.count });
      } catch (e) {
        reply({ type: "failed", batch: message.batch, records: message.count, code: errorCode(e), message: (e as Error).message });
      }
      return;
    case "prune":
      try {
        reply({ type: "pruned", removed: ensureWriter().prune(message.cutoffMs) });
      } catch (e) {
        reply({ type: "prune_failed", code: errorCode(e), message: (e as Error).message });
      }
      return;
    case "flush":
      reply({ type: "flushed", id: message.id });
      return;
    case "close":
      try {
        db?.close();
      } catch {
        // Closing a connection whose file vanished still ends the worker.
      }
      db = undefined;
      writer = undefined;
      reply({ type: "closed", id: message.id });
      port.close();
      return;
  }
}

port.on("message", handle);
