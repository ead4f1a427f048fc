import { readFileSync } from "node:fs";
import { ConfigError } from "./config-error";

/** One entry of a Claude Desktop / Cursor `mcpServers` map. */
export type McpServerEntry =
  | { kind: "stdio"; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { kind: "http" | "sse"; url: string; headers: Record<string, string> };

/** Reads `path` and returns the entry called `name`, stdio or URL. */
export function readMcpServerEntry(path: string, name: string | undefined): { name: string; entry: McpServerEntry } {
  const servers = readServerMap(path);
  const names = Object.keys(servers);
  if (name === undefined) {
    if (names.length !== 1) {
      throw new ConfigError("bad_flag", `--server is required with --config (${path} defines: ${names.join(", ") || "no servers"})`);
    }
    name = names[0]!;
  }
  if (!Object.hasOwn(servers, name)) {
    throw new ConfigError("config_server_unknown", `${path}: no server "${name}" (defined: ${names.join(", ") || "none"})`);
  }
  return { name, entry: parseEntry(servers[name], `${path}: server "${name}"`) };
}

function readServerMap(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError("config_file_unreadable", `--config: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError("config_file_invalid", `${path}: not valid JSON (${(e as Error).message})`);
  }
  // Claude Desktop and Cursor use `mcpServers`; VS Code's mcp.json uses `servers`.
  const servers = isRecord(json) ? (json.mcpServers ?? json.servers) : undefined;
  if (!isRecord(servers)) throw new ConfigError("config_file_invalid", `${path}: expected {"mcpServers": {NAME: {...}}}`);
  return servers;
}

// Validated by hand rather than with zod: zod would add ~750 KB to the CLI bundle that every `npx tapline` loads.
function parseEntry(raw: unknown, where: string): McpServerEntry {
  if (!isRecord(raw)) throw new ConfigError("config_file_invalid", `${where}: must be an object`);
  if (typeof raw.command === "string" && raw.command !== "") {
    const entry: McpServerEntry = {
      kind: "stdio",
      command: raw.command,
      args: stringArray(raw.args, `${where}: "args"`),
      env: stringRecord(raw.env, `${where}: "env"`),
    };
    if (typeof raw.cwd === "string") entry.cwd = raw.cwd;
    return entry;
  }
  if (typeof raw.url === "string" && raw.url !== "") {
    const type = String(raw.type ?? raw.transport ?? "http").toLowerCase();
    return { kind: type === "sse" ? "sse" : "http", url: raw.url, headers: stringRecord(raw.headers, `${where}: "headers"`) };
  }
  throw new ConfigError("config_file_invalid", `${where}: needs "command" (stdio) or "url"`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function stringArray(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new ConfigError("config_file_invalid", `${where} must be a list of strings`);
  return value;
}

function stringRecord(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw new ConfigError("config_file_invalid", `${where} must map names to strings`);
  }
  return value as Record<string, string>;
}
