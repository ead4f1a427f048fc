import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import {
  FrameFlag,
  FrameType,
  jsonPayload,
  parseJsonPayload,
  type Frame,
  type HelloMessage,
  type RequestHead,
  type ResetMessage,
  type ResponseHead,
} from "./frame";
import { decodeWindowIncrement } from "./encode";
import { FrameBatch } from "./frame-batch";
import { FrameDecoder } from "./decode";
import { ProtocolError, TunnelError } from "./errors";
import { verifyMuxConfig, type MuxConfig } from "./config";
import { MuxStream, type StreamHost } from "./stream";

/** Batches stay well under the ws maxPayload (1 MiB) even with one maximal frame on top. */
const MAX_BATCH_BYTES = 256 * 1024;

/** The byte pipe under the muxer (a WebSocket in production, an in-memory pair in tests). */
export interface MuxTransport {
  /** `done` runs once the bytes left the process (ws send callback), which is what frees capacity. */
  send(data: Buffer, done: (error?: Error) => void): void;
  close(reason: string): void;
}

export type MuxRole = "relay" | "agent";

/**
 * What crossed this connection since it opened: streams this side opened, and DATA payload bytes
 * each way. The relay reports them per tunnel to the cloud (usage-reporter.ts); plain counters,
 * because they are bumped on every frame of the data path.
 */
export interface MuxTraffic {
  streamsOpened: number;
  dataBytesSent: number;
  dataBytesReceived: number;
}

export interface MuxerEvents {
  stream: [MuxStream, RequestHead];
  hello: [HelloMessage];
  goaway: [TunnelError];
  close: [TunnelError | undefined];
}

/**
 * Multiplexes streams over one transport. The relay opens even stream ids, the agent odd ones.
 * Control frames (WINDOW, PING, RESET) bypass the capacity gate so credit can always flow back.
 */
export class Muxer extends EventEmitter<MuxerEvents> implements StreamHost {
  readonly config: MuxConfig;
  readonly traffic: MuxTraffic = { streamsOpened: 0, dataBytesSent: 0, dataBytesReceived: 0 };
  private readonly streams = new Map<number, MuxStream>();
  private readonly decoder: FrameDecoder;
  private nextStreamId: number;
  private unsentBytes = 0;
  private readonly batch = new FrameBatch();
  private flushScheduled = false;
  private capacityWaiters: (() => void)[] = [];
  private pings = new Map<string, (rtt: number) => void>();
  private closedWith: TunnelError | undefined | null = null;

  constructor(
    private readonly transport: MuxTransport,
    readonly role: MuxRole,
    config: Partial<MuxConfig> = {},
  ) {
    super();
    this.config = verifyMuxConfig(config);
    this.decoder = new FrameDecoder(this.config.maxFramePayload);
    this.nextStreamId = role === "relay" ? 2 : 1;
  }

  get streamCount(): number {
    return this.streams.size;
  }

  get isClosed(): boolean {
    return this.closedWith !== null;
  }

  /** Bytes handed to the transport and not yet written out. */
  get bufferedBytes(): number {
    return this.unsentBytes;
  }

  open(head: RequestHead): MuxStream {
    if (this.isClosed) throw this.closedWith ?? new TunnelError("connection_closed", "tunnel connection is closed");
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    this.traffic.streamsOpened++;
    const stream = new MuxStream(id, this, this.config);
    this.streams.set(id, stream);
    this.sendFrame(FrameType.Open, FrameFlag.None, id, jsonPayload(head));
    return stream;
  }

  sendHello(hello: HelloMessage): void {
    this.sendFrame(FrameType.Hello, FrameFlag.None, 0, jsonPayload(hello));
  }

  /** Round-trip time in ms; rejects after timeoutMs so a dead peer is detected. */
  ping(timeoutMs: number): Promise<number> {
    const token = randomBytes(8);
    const key = token.toString("hex");
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pings.delete(key);
        reject(new TunnelError("connection_closed", `no PONG within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pings.set(key, () => {
        clearTimeout(timer);
        resolve(performance.now() - started);
      });
      this.sendFrame(FrameType.Ping, FrameFlag.None, 0, token);
    });
  }

  /** Tell the peer why we are leaving, then close everything. */
  goAway(code: string, message: string): void {
    if (this.isClosed) return;
    const payload: ResetMessage = { code, message };
    this.sendFrame(FrameType.GoAway, FrameFlag.None, 0, jsonPayload(payload));
    this.flush();
    this.destroy(new TunnelError(code, message));
  }

  /** Feed bytes received from the transport. */
  receive(chunk: Uint8Array): void {
    if (this.isClosed) return;
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      const failure = error instanceof TunnelError ? error : new ProtocolError("protocol_error", String(error));
      return this.goAway(failure.code, failure.message);
    }
    for (const frame of frames) {
      if (this.isClosed) return;
      try {
        this.dispatch(frame);
      } catch (error) {
        const failure = error instanceof TunnelError ? error : new ProtocolError("protocol_error", (error as Error).message);
        return this.goAway(failure.code, failure.message);
      }
    }
  }

  /** The transport is gone (or we give up): fail every stream and release waiters. */
  destroy(error?: TunnelError): void {
    if (this.isClosed) return;
    this.closedWith = error;
    const streamError = error ?? new TunnelError("connection_closed", "tunnel connection closed");
    for (const stream of [...this.streams.values()]) stream.handleReset(streamError);
    this.streams.clear();
    for (const release of this.capacityWaiters.splice(0)) release();
    this.transport.close(error?.message ?? "closed");
    this.emit("close", error);
  }

  // ---- StreamHost ----

  /**
   * Frames produced in one turn of the event loop leave as one WebSocket message (the decoder
   * accepts several frames per message): one syscall and one ws header instead of one per frame,
   * which is most of the per-request cost for small requests.
   */
  sendFrame(type: FrameType, flags: number, streamId: number, payload: Uint8Array): void {
    if (this.isClosed) return;
    if (type === FrameType.Data) this.traffic.dataBytesSent += payload.byteLength;
    this.unsentBytes += this.batch.add(type, flags, streamId, payload);
    if (this.batch.bytes >= MAX_BATCH_BYTES) return this.flush();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.batch.isEmpty || this.isClosed) return;
    const message = this.batch.take();
    const size = message.length;
    this.transport.send(message, (error) => {
      this.unsentBytes -= size;
      if (error) return this.destroy(new TunnelError("connection_closed", `tunnel send failed: ${error.message}`));
      this.releaseCapacity();
    });
  }

  waitForCapacity(): Promise<void> {
    if (this.unsentBytes < this.config.maxTransportBuffered || this.isClosed) return Promise.resolve();
    return new Promise((resolve) => this.capacityWaiters.push(resolve));
  }

  streamClosed(streamId: number): void {
    this.streams.delete(streamId);
  }

  private releaseCapacity(): void {
    while (this.capacityWaiters.length && this.unsentBytes < this.config.maxTransportBuffered) this.capacityWaiters.shift()!();
  }

  private dispatch(frame: Frame): void {
    switch (frame.type) {
      case FrameType.Hello:
        return void this.emit("hello", parseJsonPayload<HelloMessage>(frame.payload));
      case FrameType.Ping:
        if (frame.flags & FrameFlag.Ack) {
          const key = Buffer.from(frame.payload).toString("hex");
          const settle = this.pings.get(key);
          this.pings.delete(key);
          settle?.(0);
        } else {
          this.sendFrame(FrameType.Ping, FrameFlag.Ack, 0, frame.payload);
        }
        return;
      case FrameType.GoAway: {
        const reason = parseJsonPayload<ResetMessage>(frame.payload);
        const error = new TunnelError(reason.code, reason.message);
        this.emit("goaway", error);
        return this.destroy(error);
      }
      case FrameType.Open:
        return this.acceptStream(frame);
      default:
        return this.dispatchToStream(frame);
    }
  }

  private acceptStream(frame: Frame): void {
    const fromPeerParity = this.role === "relay" ? 1 : 0;
    if (frame.streamId === 0 || frame.streamId % 2 !== fromPeerParity || this.streams.has(frame.streamId)) {
      throw new ProtocolError("protocol_error", `invalid OPEN for stream ${frame.streamId}`);
    }
    const head = parseJsonPayload<RequestHead>(frame.payload);
    if (this.streams.size >= this.config.maxIncomingStreams) {
      const refusal: ResetMessage = { code: "too_many_streams", message: `more than ${this.config.maxIncomingStreams} open streams` };
      return this.sendFrame(FrameType.Reset, FrameFlag.None, frame.streamId, jsonPayload(refusal));
    }
    const stream = new MuxStream(frame.streamId, this, this.config);
    this.streams.set(frame.streamId, stream);
    this.emit("stream", stream, head);
  }

  private dispatchToStream(frame: Frame): void {
    // Frames for a stream we already closed are normal races (e.g. DATA crossing our RESET).
    const stream = this.streams.get(frame.streamId);
    if (!stream) return;
    switch (frame.type) {
      case FrameType.Headers:
        return stream.handleHeaders(parseJsonPayload<ResponseHead>(frame.payload));
      case FrameType.Data:
        this.traffic.dataBytesReceived += frame.payload.byteLength;
        return stream.handleData(frame.payload);
      case FrameType.End:
        return stream.handleEnd();
      case FrameType.Window:
        return stream.handleWindow(decodeWindowIncrement(frame.payload));
      case FrameType.Reset: {
        const reason = parseJsonPayload<ResetMessage>(frame.payload);
        return stream.handleReset(new TunnelError(reason.code, reason.message));
      }
      default:
        throw new ProtocolError("protocol_error", `unexpected frame type ${frame.type} on stream ${frame.streamId}`);
    }
  }
}
