/**
 * Which relay instance holds which tunnel. A single relay needs no directory beyond its own
 * registry ({@link LocalOnlyDirectory}); several instances share one in Redis (redis-directory.ts).
 * The directory only names the holder; request bytes travel over a direct HTTP hop between instances.
 */
export interface TunnelDirectory {
  /** Record that this instance now holds `name`. `onLost` runs if another instance takes it over later. */
  claim(name: string, onLost: () => void): Promise<void>;
  /** Forget our claim on `name` (only if it is still ours). */
  release(name: string): Promise<void>;
  /** Base URL of another instance that holds `name`, or undefined. */
  locate(name: string): Promise<string | undefined>;
  /** For /readyz: can we reach the shared store? */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export class LocalOnlyDirectory implements TunnelDirectory {
  async claim(): Promise<void> {}
  async release(): Promise<void> {}
  async locate(): Promise<string | undefined> {
    return undefined;
  }
  async ready(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}
}
