import { createProxyCommand } from "./proxy-command";

export const stdioCommand = createProxyCommand("stdio", {
  name: "stdio",
  group: "proxy",
  summary: "Spawn a stdio MCP server, proxy it and record every call",
  usage: '--command "<cmd> [args]" [options]   |   [options] -- <cmd> [args]',
  description:
    "Without --listen, tapline speaks MCP on its own stdin/stdout (use it in Claude Desktop's config in place of the\n" +
    "server's command); with --listen it serves the stdio server over Streamable HTTP at /mcp.\n" +
    "The child gets this environment plus the --config entry's env. Logs go to stderr only.",
  examples: [
    'tapline stdio --command "npx -y @modelcontextprotocol/server-everything"',
    "tapline stdio --config ~/Library/Application\\ Support/Claude/claude_desktop_config.json --server github",
    "tapline stdio --listen 127.0.0.1:8787 -- node build/index.js",
  ],
});
