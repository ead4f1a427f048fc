import type { Muxer } from "../protocol/muxer";
import type { TunnelPrincipal } from "./auth";

/** GOAWAY code of an agent shut down on purpose (the user stopped `tapline tunnel`). */
export const AGENT_CLOSED = "agent_closed";

export type AttachKind = "new" | "reconnect" | "replace";

interface TunnelSession {
  name: string;
  principal: TunnelPrincipal;
  muxer: Muxer | undefined;
  forgetTimer: NodeJS.Timeout | undefined;
}

/**
 * The tunnels this instance holds. A tunnel outlives its agent connection by `graceMs`, so a
 * reconnecting agent finds its name and requests arriving in the gap can wait for it.
 */
export class TunnelRegistry {
  private readonly sessions = new Map<string, TunnelSession>();
  private readonly waiters = new Map<string, Set<(muxer: Muxer) => void>>();

  constructor(
    private readonly graceMs: number,
    private readonly onForget: (name: string) => void,
  ) {}

  /** Bind `muxer` to `name`; a live previous connection for the name is told it was replaced. */
  attach(name: string, principal: TunnelPrincipal, muxer: Muxer): AttachKind {
    let session = this.sessions.get(name);
    let kind: AttachKind = "new";
    if (session) {
      clearTimeout(session.forgetTimer);
      session.forgetTimer = undefined;
      const previous = session.muxer;
      kind = previous && !previous.isClosed ? "replace" : "reconnect";
      session.muxer = muxer;
      session.principal = principal;
      previous?.goAway("replaced", `another agent connected as tunnel "${name}"`);
    } else {
      session = { name, principal, muxer, forgetTimer: undefined };
      this.sessions.set(name, session);
    }
    // An agent that says it is leaving for good ("agent_closed") frees its name at once; any other
    // drop keeps the tunnel's place for the grace period so it can come back.
    let leaving = false;
    muxer.once("goaway", (reason) => (leaving = reason.code === AGENT_CLOSED));
    muxer.once("close", () => this.detach(name, muxer, leaving));
    const waiting = this.waiters.get(name);
    this.waiters.delete(name);
    for (const resolve of waiting ?? []) resolve(muxer);
    return kind;
  }

  connected(name: string): Muxer | undefined {
    const muxer = this.sessions.get(name)?.muxer;
    return muxer && !muxer.isClosed ? muxer : undefined;
  }

  isKnown(name: string): boolean {
    return this.sessions.has(name);
  }

  /** Resolves with the tunnel's connection once its agent (re)attaches, or undefined after `timeoutMs`. */
  waitFor(name: string, timeoutMs: number): Promise<Muxer | undefined> {
    const live = this.connected(name);
    if (live) return Promise.resolve(live);
    return new Promise((resolve) => {
      const set = this.waiters.get(name) ?? new Set();
      this.waiters.set(name, set);
      const timer = setTimeout(() => {
        set.delete(onAttach);
        if (set.size === 0 && this.waiters.get(name) === set) this.waiters.delete(name);
        resolve(undefined);
      }, timeoutMs);
      const onAttach = (muxer: Muxer) => {
        clearTimeout(timer);
        resolve(muxer);
      };
      set.add(onAttach);
    });
  }

  /** Another instance took the name over: drop our agent without waiting for it to come back here. */
  evict(name: string, code: string, message: string): void {
    const session = this.sessions.get(name);
    if (!session) return;
    this.sessions.delete(name);
    clearTimeout(session.forgetTimer);
    session.muxer?.goAway(code, message);
  }

  get connectedCount(): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.muxer && !session.muxer.isClosed) count++;
    return count;
  }

  get streamCount(): number {
    let count = 0;
    for (const session of this.sessions.values()) count += session.muxer?.streamCount ?? 0;
    return count;
  }

  get bufferedBytes(): number {
    let bytes = 0;
    for (const session of this.sessions.values()) bytes += session.muxer?.bufferedBytes ?? 0;
    return bytes;
  }

  names(): string[] {
    return [...this.sessions.keys()];
  }

  /** Shutdown: tell every agent why (they reconnect elsewhere or to our successor). */
  closeAll(code: string, message: string): void {
    for (const session of this.sessions.values()) {
      clearTimeout(session.forgetTimer);
      session.muxer?.goAway(code, message);
    }
    this.sessions.clear();
  }

  private detach(name: string, muxer: Muxer, leaving: boolean): void {
    const session = this.sessions.get(name);
    if (!session || session.muxer !== muxer) return;
    session.muxer = undefined;
    if (leaving) {
      this.sessions.delete(name);
      this.onForget(name);
      return;
    }
    session.forgetTimer = setTimeout(() => {
      if (this.sessions.get(name) !== session || session.muxer) return;
      this.sessions.delete(name);
      this.onForget(name);
    }, this.graceMs);
    session.forgetTimer.unref();
  }
}
