import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startTunnelAgent } from "../agent/start-tunnel-agent";
import { ACME_KEY, closeServer, listen, request, startTestRelay, tempKeysFile } from "../testing/tunnel-fixture";

test("closing with a drain lets in-flight requests finish and refuses new ones with 503", { timeout: 30_000 }, async () => {
  const keys = tempKeysFile();
  const local = http.createServer((req, res) => {
    if (req.url === "/slow") return void setTimeout(() => res.end("finished"), 600);
    res.end("fast");
  });
  const localUrl = await listen(local);
  const relay = await startTestRelay(keys.keysFile);
  const agent = await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, name: "draining", target: localUrl, stateFile: false, reconnect: { initialDelayMs: 5_000 } });

  const inFlight = request(`${relay.url}/t/draining/slow`);
  await new Promise((r) => setTimeout(r, 150));
  const closing = relay.close({ drainMs: 10_000 });
  const refused = await request(`${relay.url}/t/draining/fast`);
  assert.equal(refused.status, 503);
  assert.equal(refused.headers["x-tapline-error"], "relay_draining");
  assert.equal((await request(`${relay.url}/readyz`)).status, 503);

  const finished = await inFlight;
  assert.equal(finished.status, 200);
  assert.equal(finished.body.toString(), "finished");
  await closing;
  await agent.close();
  await closeServer(local);
  keys.cleanup();
});
