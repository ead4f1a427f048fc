/** What `tapline status` shows about shipping; persisted by the shipper in the store's meta table. */
export interface ShipStatus {
  cloudUrl: string;
  /** `ok`: last attempt succeeded; `retrying`: cloud unreachable or busy; `stopped`: permanent error, needs the user. */
  state: "starting" | "ok" | "retrying" | "stopped";
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: string | null;
  backlog: number;
  dropped: number;
  shippedTotal: number;
  updatedAt: number;
}

export const SHIP_STATUS_META_KEY = "ship_status";
