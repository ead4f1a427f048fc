import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startTunnelAgent } from "./start-tunnel-agent";
import { reconnectDelay } from "./backoff";
import { ACME_KEY, closeServer, listen, request, startTestRelay, tempKeysFile } from "../testing/tunnel-fixture";
import { startCuttableProxy } from "../testing/cuttable-proxy";
import { startRelayProcess } from "../testing/relay-process";
import { freePort } from "../testing/free-port";

function helloServer(): http.Server {
  return http.createServer((req, res) => res.end(`hello ${req.url}`));
}

test("backoff grows, is capped and jittered", () => {
  assert.equal(reconnectDelay(0, 200, 10_000, () => 0), 100);
  assert.equal(reconnectDelay(3, 200, 10_000, () => 1), 1600);
  assert.equal(reconnectDelay(20, 200, 10_000, () => 1), 10_000);
});

/** Relay ← cuttable TCP proxy ← agent, so a test can drop the agent's connection like a network would. */
async function tunnelBehindProxy(name: string, relayWaitMs: number, agentRetryMs: number) {
  const keys = tempKeysFile();
  const local = helloServer();
  const localUrl = await listen(local);
  const relay = await startTestRelay(keys.keysFile, { limits: { reconnectWaitMs: relayWaitMs } });
  const proxy = await startCuttableProxy(relay.port);
  const agent = await startTunnelAgent({ relayUrl: `http://127.0.0.1:${proxy.port}`, apiKey: ACME_KEY, name, target: localUrl, stateFile: false, reconnect: { initialDelayMs: agentRetryMs, maxDelayMs: agentRetryMs } });
  return {
    relay,
    proxy,
    agent,
    async cleanup() {
      await agent.close();
      await relay.close();
      await proxy.close();
      await closeServer(local);
      keys.cleanup();
    },
  };
}

test("after a network drop the agent reconnects under the same name; a request in the gap waits for it", { timeout: 30_000 }, async () => {
  const { relay, proxy, agent, cleanup } = await tunnelBehindProxy("steady", 5_000, 400);
  const reconnected = new Promise((resolve) => agent.on("connected", resolve));
  proxy.cut();
  // Sent while the agent is away: it waits at the relay instead of failing.
  const during = await request(`${relay.url}/t/steady/while-away`);
  assert.equal(during.status, 200);
  assert.equal(during.body.toString(), "hello /while-away");
  await reconnected;
  assert.equal(agent.name, "steady");
  await cleanup();
});

test("a request during a longer gap gets 503 with Retry-After, not a hang", { timeout: 30_000 }, async () => {
  const { relay, proxy, cleanup } = await tunnelBehindProxy("flaky", 200, 3_000);
  proxy.cut();
  await new Promise((r) => setTimeout(r, 100));
  const res = await request(`${relay.url}/t/flaky/x`);
  assert.equal(res.status, 503);
  assert.equal(res.headers["retry-after"], "5");
  assert.equal(res.headers["x-tapline-error"], "tunnel_offline");
  await cleanup();
});

test("the relay process killed and restarted mid-traffic: the agent comes back with the same name", { timeout: 45_000 }, async () => {
  const keys = tempKeysFile();
  const local = helloServer();
  const localUrl = await listen(local);
  const port = await freePort();
  const args = ["--port", String(port), "--keys-file", keys.keysFile];
  let relay = await startRelayProcess(args);
  const agent = await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, name: "survivor", target: localUrl, stateFile: false, reconnect: { initialDelayMs: 200, maxDelayMs: 1_000 } });
  let reconnects = 0;
  agent.on("connected", () => reconnects++);

  // Keep traffic flowing the whole time; record what each request saw.
  const outcomes: (number | string)[] = [];
  let stop = false;
  const traffic = (async () => {
    for (let i = 0; !stop && i < 2000; i++) {
      outcomes.push(await request(`${relay.url}/t/survivor/n${i}`).then((r) => r.status, (e: NodeJS.ErrnoException) => e.code ?? "error"));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await new Promise((r) => setTimeout(r, 300));
  await relay.kill("SIGKILL");
  relay = await startRelayProcess(args);
  for (let i = 0; i < 200 && reconnects < 1; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(reconnects >= 1, "agent reconnected");
  assert.equal(agent.name, "survivor");
  const after = await request(`${relay.url}/t/survivor/after`);
  assert.equal(after.status, 200);
  assert.equal(after.body.toString(), "hello /after");
  stop = true;
  await traffic;
  assert.equal(outcomes[0], 200);
  assert.equal(outcomes.at(-1), 200);
  // While the process was down connections were refused; nothing else is acceptable.
  assert.ok(outcomes.every((o) => o === 200 || o === "ECONNREFUSED" || o === "ECONNRESET" || o === 503), JSON.stringify([...new Set(outcomes)]));
  await agent.close();
  await relay.kill("SIGTERM");
  await closeServer(local);
  keys.cleanup();
});
