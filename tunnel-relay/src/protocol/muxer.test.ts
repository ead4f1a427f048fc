import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { connectedMuxers } from "./testing/memory-transport";
import type { MuxStream } from "./stream";
import type { RequestHead } from "./frame";

const GET: RequestHead = { method: "GET", path: "/", headers: [] };

function nextStream(muxer: ReturnType<typeof connectedMuxers>["agent"]): Promise<[MuxStream, RequestHead]> {
  return new Promise((resolve) => muxer.once("stream", (stream, head) => resolve([stream, head])));
}

test("a stream carries the request head, headers, data both ways and END", async () => {
  const { relay, agent } = connectedMuxers();
  const incoming = nextStream(agent);
  const outgoing = relay.open({ method: "POST", path: "/mcp?x=1", headers: ["Content-Type", "application/json"] });
  const [served, head] = await incoming;
  assert.equal(head.path, "/mcp?x=1");
  const body: Buffer[] = [];
  served.on("data", (chunk) => { body.push(chunk); served.consumed(chunk.length); });
  const requestEnded = new Promise<void>((resolve) => served.once("end", resolve));
  await outgoing.write(Buffer.from("hello "));
  await outgoing.write(Buffer.from("world"));
  await outgoing.end();
  await requestEnded;
  assert.equal(Buffer.concat(body).toString(), "hello world");

  const headers = new Promise((resolve) => outgoing.once("headers", resolve));
  const reply: Buffer[] = [];
  outgoing.on("data", (chunk) => { reply.push(chunk); outgoing.consumed(chunk.length); });
  const replyEnded = new Promise<void>((resolve) => outgoing.once("end", resolve));
  await served.sendHeaders({ status: 201, headers: ["X-A", "1"] });
  await served.write(Buffer.from("done"));
  await served.end();
  assert.deepEqual(await headers, { status: 201, headers: ["X-A", "1"] });
  await replyEnded;
  assert.equal(Buffer.concat(reply).toString(), "done");
  assert.equal(relay.streamCount, 0);
  assert.equal(agent.streamCount, 0);
});

test("a writer stops after one window until the reader reports consumption", async () => {
  const window = 64 * 1024;
  const { relay, agent } = connectedMuxers({ initialWindow: window, maxDataPayload: 16 * 1024 });
  const incoming = nextStream(agent);
  const outgoing = relay.open(GET);
  const [served] = await incoming;
  let received = 0;
  served.on("data", (chunk) => { received += chunk.length; });
  let written = false;
  const write = served.sendHeaders({ status: 200, headers: [] }).then(() => served.write(randomBytes(window * 3))).then(() => { written = true; });
  outgoing.on("data", () => {});
  // Let plenty of turns pass: the write must be parked on credit, not finished.
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  assert.equal(written, false);
  outgoing.on("data", (chunk) => outgoing.consumed(chunk.length));
  outgoing.consumed(window); // release what already arrived
  await write;
  assert.equal(written, true);
  void received;
});

test("a stalled reader does not stall a fast stream on the same connection", async () => {
  const { relay, agent } = connectedMuxers({ initialWindow: 64 * 1024, maxTransportBuffered: 256 * 1024 });
  const streams: MuxStream[] = [];
  agent.on("stream", (stream) => {
    streams.push(stream);
    void stream.sendHeaders({ status: 200, headers: [] }).then(async () => {
      const payload = randomBytes(8 * 1024 * 1024);
      for (let i = 0; i < payload.length; i += 100_000) await stream.write(payload.subarray(i, i + 100_000));
      await stream.end();
    }).catch(() => {});
  });
  const slow = relay.open(GET);
  slow.on("data", () => {}); // never reports consumption
  const fast = relay.open(GET);
  const hash = createHash("sha256");
  let bytes = 0;
  fast.on("data", (chunk) => { hash.update(chunk); bytes += chunk.length; fast.consumed(chunk.length); });
  await new Promise<void>((resolve) => fast.once("end", resolve));
  assert.equal(bytes, 8 * 1024 * 1024);
  assert.equal(slow.closed, false, "the slow stream is still waiting, not failed");
  slow.reset("cancelled", "test over");
});

test("data beyond the granted window is a flow-control error that resets only that stream", async () => {
  const { relay, agent } = connectedMuxers({ initialWindow: 16 * 1024, maxDataPayload: 16 * 1024 });
  const incoming = nextStream(agent);
  const outgoing = relay.open(GET);
  const [served] = await incoming;
  const reset = new Promise((resolve) => outgoing.once("reset", resolve));
  // Bypass the stream's own accounting to impersonate a misbehaving peer.
  served.handleWindow(1024 * 1024);
  await served.write(randomBytes(64 * 1024)).catch(() => {});
  assert.equal(((await reset) as { code: string }).code, "flow_control_error");
  assert.equal(relay.isClosed, false);
});

test("a reset travels to the peer and fails its pending writes", async () => {
  const { relay, agent } = connectedMuxers({ initialWindow: 16 * 1024, maxDataPayload: 16 * 1024 });
  const incoming = nextStream(agent);
  const outgoing = relay.open(GET);
  const [served] = await incoming;
  const pending = served.write(randomBytes(64 * 1024));
  await new Promise((r) => setTimeout(r, 10));
  outgoing.reset("cancelled", "client went away");
  await assert.rejects(pending, (e: { code: string }) => e.code === "cancelled");
});

test("closing the connection resets every open stream", async () => {
  const { relay, agent } = connectedMuxers();
  const incoming = nextStream(agent);
  const outgoing = relay.open(GET);
  await incoming;
  const reset = new Promise<{ code: string }>((resolve) => outgoing.once("reset", resolve));
  agent.destroy();
  assert.equal((await reset).code, "connection_closed");
});

test("ping measures a round trip", async () => {
  const { relay } = connectedMuxers();
  const rtt = await relay.ping(1000);
  assert.ok(rtt >= 0);
});

test("the receiver refuses streams past its limit", async () => {
  const { relay } = connectedMuxers({ maxIncomingStreams: 2 });
  relay.open(GET);
  relay.open(GET);
  const third = relay.open(GET);
  const reset = await new Promise<{ code: string }>((resolve) => third.once("reset", resolve));
  assert.equal(reset.code, "too_many_streams");
});

test("a fast reader's window grows up to maxWindow; a reader that drains slowly keeps the initial window", async () => {
  const window = 16 * 1024;
  const maxWindow = 128 * 1024;
  const { relay, agent } = connectedMuxers({ initialWindow: window, maxWindow, maxDataPayload: 16 * 1024 });
  const inFlight = async (drainDelayMs: number): Promise<number> => {
    const incoming = nextStream(agent);
    const outgoing = relay.open(GET);
    const [served] = await incoming;
    // The most the writer ever had in flight (sent, not yet consumed) is the window it was granted.
    let sent = 0;
    let consumed = 0;
    let peak = 0;
    outgoing.on("data", (chunk: Buffer) => {
      sent += chunk.length;
      peak = Math.max(peak, sent - consumed);
      setTimeout(() => { consumed += chunk.length; outgoing.consumed(chunk.length); }, drainDelayMs);
    });
    const ended = new Promise<void>((resolve) => outgoing.once("end", resolve));
    await served.sendHeaders({ status: 200, headers: [] });
    await served.write(randomBytes(maxWindow * 4));
    await served.end();
    await ended;
    return peak;
  };
  assert.equal(await inFlight(0), maxWindow, "fast: grown to maxWindow");
  assert.equal(await inFlight(20), window, "slow: never past the initial window");
});
