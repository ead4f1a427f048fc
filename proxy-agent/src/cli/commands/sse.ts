import { createProxyCommand } from "./proxy-command";

export const sseCommand = createProxyCommand("sse", {
  name: "sse",
  group: "proxy",
  summary: "Proxy a legacy HTTP+SSE MCP server and record every call",
  usage: "--remote-url <url> [options]",
  description: "Clients connect to http://HOST:PORT/sse (default 127.0.0.1:8787); --remote-url is the server's SSE endpoint.",
  examples: ["tapline sse --remote-url http://localhost:3001/sse"],
});
