import type { ListenAddress } from "./types";
import { ConfigError } from "./config-error";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8787;

/**
 * `[HOST]:PORT`, `PORT`, or `[::1]:PORT`. A missing host means loopback: exposing a proxy
 * on every interface has to be asked for explicitly (`0.0.0.0:8080`).
 */
export function parseListenAddress(text: string, what = "--listen"): ListenAddress {
  const trimmed = text.trim();
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(\d+)$/.exec(trimmed);
  if (!match) throw new ConfigError("bad_value", `${what}: "${text}" is not [HOST]:PORT`);
  const rawHost = match[1] ?? "";
  const host = rawHost.startsWith("[") ? rawHost.slice(1, -1) : rawHost;
  return { host: host === "" ? DEFAULT_HOST : host, port: parsePort(match[2]!, what) };
}

export function parsePort(text: string, what = "--port"): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535) {
    throw new ConfigError("bad_value", `${what}: "${text}" is not a port number (0-65535)`);
  }
  return port;
}
