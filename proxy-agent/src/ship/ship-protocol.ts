import type { ShipStatus } from "./ship-status";

export interface ShipWorkerData {
  dbPath: string;
  cloudUrl: string;
  apiKey: string;
  serverId: string;
  agentVersion: string;
  batchSize: number;
  intervalMs: number;
  maxDiskBytes: number;
}

export type ToShipper = { type: "close"; drain: boolean; drainMs: number };

export type FromShipper =
  | { type: "status"; status: ShipStatus }
  | { type: "log"; level: "info" | "warn" | "error"; message: string }
  | { type: "closed" };
