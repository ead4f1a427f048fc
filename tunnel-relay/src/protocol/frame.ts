/**
 * Wire frames of the tunnel protocol. Every frame is a 10-byte header followed by its payload:
 *
 *   type u8 | flags u8 | stream u32 BE | length u32 BE | payload (length bytes)
 *
 * The length field lets one WebSocket message carry several frames and lets the decoder work on
 * any byte stream (tests feed it arbitrary chunk boundaries), not only on whole ws messages.
 * Stream 0 is the connection itself (HELLO, PING, GOAWAY). The relay opens even stream ids,
 * the agent odd ones, so both can open streams without coordinating.
 */
export const FRAME_HEADER_SIZE = 10;

export enum FrameType {
  /** stream 0, JSON {@link HelloMessage}: relay → agent after the upgrade was accepted. */
  Hello = 0,
  /** JSON {@link RequestHead}: opens a stream. */
  Open = 1,
  /** JSON {@link ResponseHead}: the answer's status line and headers. */
  Headers = 2,
  Data = 3,
  /** Half-close: the sender will send no more DATA on this stream. */
  End = 4,
  /** JSON {@link ResetMessage}: abort the stream in both directions. */
  Reset = 5,
  /** u32 BE credit increment for the stream's send window. */
  Window = 6,
  /** stream 0, 8 opaque bytes echoed back with {@link FrameFlag.Ack}. */
  Ping = 7,
  /** stream 0, JSON {@link ResetMessage}: the sender is closing the connection. */
  GoAway = 8,
}

export const FrameFlag = {
  None: 0,
  Ack: 1,
} as const;

export interface Frame {
  type: FrameType;
  flags: number;
  streamId: number;
  payload: Uint8Array;
}

/** What the relay forwards to the agent for one public request. */
export interface RequestHead {
  method: string;
  /** Path and query as the local server should see them (path-routing prefix already removed). */
  path: string;
  /** Flat [name, value, name, value, …] as in `IncomingMessage.rawHeaders`: keeps case, order, duplicates. */
  headers: string[];
  /** True for an `Upgrade` request (WebSocket): after a 101 the stream carries raw bytes both ways. */
  upgrade?: boolean;
}

export interface ResponseHead {
  status: number;
  statusMessage?: string;
  headers: string[];
}

export interface ResetMessage {
  code: string;
  message: string;
}

export interface HelloMessage {
  name: string;
  /** Public URLs of this tunnel, subdomain form first when the relay has a base domain. */
  urls: string[];
  /** Set when the relay chose the name (no name was requested). */
  assigned: boolean;
  limits: { maxStreams: number; maxRequestBodyBytes: number; initialWindow: number };
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export function jsonPayload(value: unknown): Uint8Array {
  return textEncoder.encode(JSON.stringify(value));
}

export function parseJsonPayload<T>(payload: Uint8Array): T {
  return JSON.parse(textDecoder.decode(payload)) as T;
}
