import { Muxer, type MuxTransport } from "../muxer";
import type { MuxConfig } from "../config";

/** Two muxers wired back to back in memory; delivery is asynchronous like a socket. */
export function connectedMuxers(config: Partial<MuxConfig> = {}): { relay: Muxer; agent: Muxer } {
  const peers: { relay?: Muxer; agent?: Muxer } = {};
  const pipe = (deliver: () => Muxer): MuxTransport => ({
    send(data, done) {
      setImmediate(() => {
        deliver().receive(data);
        done();
      });
    },
    close() {
      setImmediate(() => deliver().destroy());
    },
  });
  const relay = new Muxer(pipe(() => peers.agent!), "relay", config);
  const agent = new Muxer(pipe(() => peers.relay!), "agent", config);
  Object.assign(peers, { relay, agent });
  return { relay, agent };
}
