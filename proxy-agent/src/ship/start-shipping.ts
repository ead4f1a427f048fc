import type { Logger } from "../config/types";
import { spawnModuleWorker } from "../util/spawn-module-worker";
import type { FromShipper, ShipWorkerData } from "./ship-protocol";
import type { ShipStatus } from "./ship-status";

export const DEFAULT_CLOUD_URL = "http://localhost:3000";
export const DEFAULT_MAX_DISK_BYTES = 1024 ** 3;

export interface Shipping {
  status(): ShipStatus | undefined;
  /** Stops shipping; with `drain`, first sends what is pending for up to `drainMs`. */
  close(options?: { drain?: boolean; drainMs?: number }): Promise<void>;
}

/** Starts the shipping thread for a store. Never throws: a failure is logged and shipping is off. */
export function startShipping(options: Omit<ShipWorkerData, "batchSize" | "intervalMs" | "maxDiskBytes"> & Partial<ShipWorkerData>, log: Logger): Shipping {
  const data: ShipWorkerData = { batchSize: 500, intervalMs: 2_000, maxDiskBytes: DEFAULT_MAX_DISK_BYTES, ...options };
  let last: ShipStatus | undefined;
  let closed = false;
  const worker = spawnModuleWorker("ship-worker", "ship", data);
  const done = new Promise<void>((resolve) => {
    worker.on("message", (m: FromShipper) => {
      if (m.type === "status") last = m.status;
      else if (m.type === "log") log[m.level](m.message);
      else if (m.type === "closed") resolve();
    });
    worker.on("error", (e) => {
      log.error(`cloud shipping stopped: ${e.message}`);
      resolve();
    });
    worker.on("exit", () => resolve());
  });
  // Shipping must never keep the process alive by itself.
  worker.unref();
  return {
    status: () => last,
    async close(o = {}) {
      if (closed) return done;
      closed = true;
      worker.postMessage({ type: "close", drain: o.drain ?? false, drainMs: o.drainMs ?? 3_000 });
      const timeout = setTimeout(() => void worker.terminate(), (o.drainMs ?? 3_000) + 5_000);
      await done;
      clearTimeout(timeout);
    },
  };
}
