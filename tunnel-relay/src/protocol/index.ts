export * from "./frame";
export * from "./errors";
export * from "./config";
export { encodeFrame } from "./encode";
export { FrameDecoder } from "./decode";
export { MuxStream } from "./stream";
export { Muxer, type MuxTransport, type MuxRole, type MuxTraffic } from "./muxer";
export { muxOverWebSocket, keepMuxerAlive } from "./ws-transport";
export { pumpIntoStream, drainStreamInto } from "./stream-pipes";
