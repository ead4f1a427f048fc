export interface MuxConfig {
  /** Credit each side grants per stream and direction before waiting for WINDOW (yamux's default). */
  initialWindow: number;
  /**
   * Largest credit a stream grows to when its reader drains fast (receive-window auto-tuning,
   * see MuxStream.consumed): slow readers keep initialWindow, so they still hold back little.
   */
  maxWindow: number;
  /** Largest DATA payload; bigger writes are split. */
  maxDataPayload: number;
  /** Largest frame payload accepted (OPEN/HEADERS carry up to 64 KiB of headers plus JSON). */
  maxFramePayload: number;
  /** Stop feeding the transport past this many unsent bytes, so one connection cannot hoard memory. */
  maxTransportBuffered: number;
  /** Streams the remote may open at once; more are refused with RESET too_many_streams. */
  maxIncomingStreams: number;
}

export const defaultMuxConfig: MuxConfig = {
  initialWindow: 256 * 1024,
  maxWindow: 2 * 1024 * 1024,
  maxDataPayload: 64 * 1024,
  maxFramePayload: 256 * 1024,
  maxTransportBuffered: 4 * 1024 * 1024,
  maxIncomingStreams: 4096,
};

export function verifyMuxConfig(partial: Partial<MuxConfig> = {}): MuxConfig {
  const config = { ...defaultMuxConfig, ...partial };
  for (const [key, value] of Object.entries(config)) {
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`mux config ${key} must be a positive integer, got ${value}`);
  }
  if (config.maxDataPayload > config.maxFramePayload) throw new RangeError("maxDataPayload must not exceed maxFramePayload");
  if (config.initialWindow > 0x7fffffff || config.maxWindow > 0x7fffffff) throw new RangeError("initialWindow and maxWindow must fit in 31 bits");
  if (config.maxWindow < config.initialWindow) throw new RangeError("maxWindow must not be below initialWindow");
  return config;
}
