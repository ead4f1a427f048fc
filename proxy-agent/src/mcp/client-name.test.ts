import { test } from "node:test";
import assert from "node:assert/strict";
import { normaliseClientName } from "./client-name";

test("known host client names map to their product names", () => {
  const cases: Array<[string, string]> = [
    ["openai-mcp", "ChatGPT"],
    ["ChatGPT", "ChatGPT"],
    ["claude-ai", "Claude"],
    ["claude-code", "Claude Code"],
    ["cursor-vscode", "Cursor"],
    ["Visual Studio Code", "VS Code"],
    ["Visual-Studio-Code", "VS Code"],
    ["windsurf-client", "Windsurf"],
    ["mcp-inspector", "Inspector"],
    ["inspector-client", "Inspector"],
    ["inspector-cli", "Inspector"],
  ];
  for (const [declared, expected] of cases) assert.equal(normaliseClientName(declared), expected, declared);
});

test("the mcp-remote suffix is stripped before matching", () => {
  assert.equal(normaliseClientName("claude-ai (via mcp-remote 0.1.29)"), "Claude");
  assert.equal(normaliseClientName("my-agent (via mcp-remote 0.1.0)"), "my-agent");
});

test("unknown client names are kept verbatim", () => {
  assert.equal(normaliseClientName("gemini-cli-mcp-client"), "gemini-cli-mcp-client");
  assert.equal(normaliseClientName("Zed"), "Zed");
});
