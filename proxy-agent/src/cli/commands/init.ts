import { createCommand } from "../command";
import { readMcpServerEntry, type McpServerEntry } from "../../config/mcp-config-file";
import { expandPath } from "../../config/store-options";
import { splitCommandLine } from "../../config/command-line";
import { serverIdFromCommand, serverIdFromUrl, sanitizeServerId } from "../../config/server-id";
import { DEFAULT_HOST, DEFAULT_PORT, parseListenAddress } from "../../config/listen-address";
import { usageError } from "../cli-error";
import { EXIT } from "../exit-codes";

export const initCommand = createCommand({
  metadata: {
    name: "init",
    group: "setup",
    summary: "Print the Claude Desktop / Cursor config snippet that runs a server through tapline",
    usage: '(--config <file> --server <name> | --command "<cmd>" | --remote-url <url>) [options]',
    description:
      "The snippet goes to stdout (pipe it or paste it under \"mcpServers\"); hints go to stderr.\n" +
      "Claude Desktop's config is ~/Library/Application Support/Claude/claude_desktop_config.json (macOS)\n" +
      "or %APPDATA%\\Claude\\claude_desktop_config.json (Windows).",
    examples: [
      'tapline init --command "npx -y @modelcontextprotocol/server-github" --server-id github',
      "tapline init --config ~/Library/Application\\ Support/Claude/claude_desktop_config.json --server github",
      "tapline init --remote-url https://mcp.example.com/mcp",
    ],
  },
  options: {
    config: { type: "string", valueName: "file", description: "Existing config to read the server from" },
    server: { type: "string", valueName: "name", description: "Which entry of --config" },
    command: { type: "string", valueName: "cmd", description: "stdio server command" },
    "remote-url": { type: "string", valueName: "url", description: "HTTP server URL" },
    "server-id": { type: "string", valueName: "id", description: "Name of the entry and of the server in the records" },
    listen: { type: "string", valueName: "[host]:port", description: "For URL servers: where tapline will listen (default 127.0.0.1:8787)" },
  },
  handler: async ({ values, io }) => {
    const entry = chooseEntry(values, io.env, io.cwd);
    const id = (values["server-id"] as string | undefined) ?? entry.defaultId;
    if (entry.server.kind === "stdio") {
      const { command, args, env } = entry.server;
      const wrapped: Record<string, unknown> = {
        command: "npx",
        args: ["-y", "tapline", "stdio", "--server-id", id, "--", command, ...args],
      };
      if (Object.keys(env).length) wrapped.env = env;
      io.stdout.write(`${JSON.stringify({ mcpServers: { [id]: wrapped } }, null, 2)}\n`);
      return EXIT.ok;
    }
    const listen = parseListenAddress((values.listen as string | undefined) ?? `${DEFAULT_HOST}:${DEFAULT_PORT}`);
    const path = entry.server.kind === "sse" ? "/sse" : "/mcp";
    const url = `http://${listen.host.includes(":") ? `[${listen.host}]` : listen.host}:${listen.port}${path}`;
    const snippet = entry.server.kind === "sse" ? { type: "sse", url } : { url };
    io.stdout.write(`${JSON.stringify({ mcpServers: { [id]: snippet } }, null, 2)}\n`);
    io.stderr.write(`Run the proxy beside the client:\n  npx tapline ${entry.server.kind} --remote-url ${entry.server.url} --server-id ${id} --listen ${listen.host}:${listen.port}\n`);
    return EXIT.ok;
  },
});

function chooseEntry(values: Record<string, unknown>, env: NodeJS.ProcessEnv, cwd: string): { server: McpServerEntry; defaultId: string } {
  const config = values.config as string | undefined;
  const command = values.command as string | undefined;
  const remoteUrl = values["remote-url"] as string | undefined;
  const given = [config, command, remoteUrl].filter((x) => x !== undefined).length;
  if (given !== 1) throw usageError("give one of --config FILE --server NAME, --command CMD or --remote-url URL");
  if (config !== undefined) {
    const { name, entry } = readMcpServerEntry(expandPath(config, env, cwd), values.server as string | undefined);
    return { server: entry, defaultId: sanitizeServerId(name) || "mcp-server" };
  }
  if (command !== undefined) {
    const [cmd, ...args] = splitCommandLine(command);
    return { server: { kind: "stdio", command: cmd!, args, env: {} }, defaultId: serverIdFromCommand(cmd!, args) };
  }
  return { server: { kind: "http", url: remoteUrl!, headers: {} }, defaultId: serverIdFromUrl(remoteUrl!) };
}
