/**
 * AI client names as hosts declare them in `initialize.params.clientInfo.name`, mapped to the
 * product name people know (MCP.md §4). Unknown names are kept verbatim.
 */
const KNOWN_CLIENTS: ReadonlyMap<string, string> = new Map([
  ["openai-mcp", "ChatGPT"],
  ["chatgpt", "ChatGPT"],
  ["claude-ai", "Claude"],
  ["claude-code", "Claude Code"],
  ["cursor-vscode", "Cursor"],
  ["visual studio code", "VS Code"],
  ["visual-studio-code", "VS Code"],
  ["windsurf-client", "Windsurf"],
  ["windsurf", "Windsurf"],
  ["mcp-inspector", "Inspector"],
  ["inspector-client", "Inspector"],
  ["inspector-cli", "Inspector"],
  ["inspector", "Inspector"],
]);

// mcp-remote bridges stdio clients to remote servers and appends " (via mcp-remote 0.1.x)" to the name.
const VIA_MCP_REMOTE = /\s*\(via mcp-remote[^)]*\)\s*$/i;

export function normaliseClientName(declared: string): string {
  const name = declared.replace(VIA_MCP_REMOTE, "").trim();
  return KNOWN_CLIENTS.get(name.toLowerCase()) ?? name;
}
