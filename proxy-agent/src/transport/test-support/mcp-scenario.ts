import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, type Progress } from "@modelcontextprotocol/sdk/types.js";

/** The client name the scenario declares, as mcp-remote would forward it for Claude. */
export const SCENARIO_CLIENT = { name: "claude-ai (via mcp-remote 0.1.29)", version: "9.9.9" };

/** An SDK client that declares sampling, elicitation and roots and answers them with fixed values. */
export async function connectScenarioClient(transport: Transport): Promise<Client> {
  const client = new Client(SCENARIO_CLIENT, { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } });
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: "assistant",
    model: "test-model",
    content: { type: "text", text: "sampled answer" },
  }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: "accept", content: { name: "Ada", check: true, email: "ada@example.com" } }));
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: "file:///tmp/root", name: "root" }] }));
  await client.connect(transport);
  return client;
}

/**
 * Calls that exercise the protocol and return deterministic results, so the JSON a client gets
 * directly and through the proxy can be compared exactly.
 */
export async function runScenario(client: Client): Promise<Record<string, unknown>> {
  const progress: Progress[] = [];
  const out: Record<string, unknown> = {};
  out.tools = (await client.listTools()).tools.map((t) => t.name).sort();
  out.echo = await client.callTool({ name: "echo", arguments: { message: "héllo ✓" } });
  out.sum = await client.callTool({ name: "get-sum", arguments: { a: 2, b: 40 } });
  out.badTool = await client.callTool({ name: "get-sum", arguments: { a: "x" } });
  out.unknownTool = await client.callTool({ name: "no-such-tool", arguments: {} }).catch((e: Error) => e.message);
  out.templates = await client.listResourceTemplates();
  out.staticResource = await client.readResource({ uri: "demo://resource/static/document/features.md" });
  out.missingResource = await client.readResource({ uri: "demo://nope" }).catch((e: Error) => e.message);
  out.prompts = (await client.listPrompts()).prompts.map((p) => p.name).sort();
  out.simplePrompt = await client.getPrompt({ name: "simple-prompt" });
  out.argsPrompt = await client.getPrompt({ name: "args-prompt", arguments: { city: "Paris" } });
  out.longRunning = await client.callTool(
    { name: "trigger-long-running-operation", arguments: { duration: 0.1, steps: 2 } },
    undefined,
    { onprogress: (p) => progress.push(p) },
  );
  // The server may answer before its last progress notification reaches the client (a race in the SDK, seen
  // directly too), so only "progress arrived" is deterministic.
  out.progressArrived = progress.length > 0;
  out.sampling = await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "hi", maxTokens: 5 } });
  out.elicitation = await client.callTool({ name: "trigger-elicitation-request", arguments: {} });
  out.roots = await client.callTool({ name: "get-roots-list", arguments: {} });
  out.subscribe = await client.subscribeResource({ uri: "demo://resource/static/document/features.md" });
  out.unsubscribe = await client.unsubscribeResource({ uri: "demo://resource/static/document/features.md" });
  out.ping = await client.ping();
  return out;
}

/** Cancels a long-running tool call once its first progress notification arrived; resolves with the rejection message. */
export async function cancelAfterFirstProgress(client: Client): Promise<string> {
  const abort = new AbortController();
  return client
    .callTool({ name: "trigger-long-running-operation", arguments: { duration: 30, steps: 30 } }, undefined, {
      signal: abort.signal,
      onprogress: () => abort.abort("test cancels"),
    })
    .then(
      () => "completed",
      (e: Error) => e.message,
    );
}
