/**
 * `npm run bench:tunnel`: what the tunnel costs compared with a direct connection and with
 * `ssh -R` to a local sshd, all on loopback. Every party is its own process, as deployed: the
 * relay, the "developer's machine" (local server + tunnel agent, bench/tunnel-side.ts), and the
 * clients (`wrk` for req/s, `curl` for MB/s; this process only for the sequential latency and
 * SSE probes). Writes the `## Tunnel` section of docs/BENCHMARKS.md.
 */
import http from "node:http";
import os from "node:os";
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { hashApiKey, KeysFileAuthorizer } from "../src/relay/keys-file-authorizer";
import { startRelay } from "../src/relay/start-relay";
import { startTunnelAgent, type TunnelAgent } from "../src/agent/start-tunnel-agent";
import { startRelayProcess } from "../src/testing/relay-process";
import { freePort } from "../src/testing/free-port";
import { nowMs, summarize } from "./measure";
import { startSshReverseTunnel } from "./ssh-reverse-tunnel";
import { DOWNLOAD_BYTES, SSE_EVENTS } from "./local-server";
import { curlDownloadMBps, MissingToolError, requireTools, wrkRequestsPerSecond } from "./load-tools";
import { stopChild } from "../src/testing/stop-child";

const LATENCY_REQUESTS = 2000;
const RPS_CONCURRENCY = 64;
const RPS_SECONDS = 3;
const IDLE_TUNNELS = 200;
const KEY = "tpl_bench_key";
const ROUNDS = 3;

const payload = Buffer.alloc(1024, 98);

function exchange(agent: http.Agent, url: string, method: string, body?: Buffer): Promise<number> {
  return new Promise((done, fail) => {
    const req = http.request(url, { method, agent }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => done(bytes));
    });
    req.on("error", fail);
    req.end(body);
  });
}

async function latency(base: string): Promise<{ p50: number; p99: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_REQUESTS + 200; i++) {
    const started = performance.now();
    await exchange(agent, `${base}/echo`, "POST", payload);
    if (i >= 200) samples.push((performance.now() - started) * 1000);
  }
  agent.destroy();
  return summarize(samples);
}

async function sseEventLatency(base: string): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  await new Promise<void>((done, fail) => {
    http.get(`${base}/sse`, { agent: false }, (res) => {
      let pending = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        const arrived = nowMs();
        pending += chunk;
        let boundary: number;
        while ((boundary = pending.indexOf("\n\n")) !== -1) {
          const sent = Number(pending.slice(6, boundary));
          pending = pending.slice(boundary + 2);
          samples.push((arrived - sent) * 1000);
        }
      });
      res.on("end", () => done());
    }).on("error", fail);
  });
  return summarize(samples);
}

function requestsPerSecond(base: string): Promise<number> {
  return wrkRequestsPerSecond(`${base}/small`, RPS_CONCURRENCY, RPS_SECONDS);
}

function downloadMBps(base: string): Promise<number> {
  return curlDownloadMBps(`${base}/download`, DOWNLOAD_BYTES);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Each metric's median over the rounds (metrics taken separately, so one row may mix rounds). */
function medianRow(rounds: Row[]): Row {
  const pick = (key: Exclude<keyof Row, "target">) => median(rounds.map((r) => r[key]));
  return { target: rounds[0]!.target, p50: pick("p50"), p99: pick("p99"), sseP50: pick("sseP50"), sseP99: pick("sseP99"), rps: pick("rps"), mbps: pick("mbps") };
}

interface Row {
  target: string;
  p50: number;
  p99: number;
  sseP50: number;
  sseP99: number;
  rps: number;
  mbps: number;
}

async function measure(target: string, base: string): Promise<Row> {
  process.stderr.write(`measuring ${target} (${base})…\n`);
  const lat = await latency(base);
  const sse = await sseEventLatency(base);
  const rps = await requestsPerSecond(base);
  const mbps = await downloadMBps(base);
  return { target, p50: lat.p50, p99: lat.p99, sseP50: sse.p50, sseP99: sse.p99, rps, mbps };
}

/**
 * Heap per idle tunnel, relay and agent sides together: both run in this process so a forced GC
 * (node --expose-gc) gives a stable number; RSS across processes moved too much to be useful.
 */
async function idleTunnelMemory(keysFile: string, target: URL): Promise<{ heapKiB: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc (npm run bench:tunnel does)");
  const relay = await startRelay({ port: 0, host: "127.0.0.1", authorizer: new KeysFileAuthorizer(keysFile) });
  const settle = async () => {
    await new Promise((r) => setTimeout(r, 300));
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = await settle();
  const agents: TunnelAgent[] = [];
  for (let i = 0; i < IDLE_TUNNELS; i++) agents.push(await startTunnelAgent({ relayUrl: relay.url, apiKey: KEY, name: `idle-${i}`, target, stateFile: false }));
  const after = await settle();
  await Promise.all(agents.map((a) => a.close()));
  await relay.close();
  return { heapKiB: (after - before) / 1024 / IDLE_TUNNELS };
}

function table(rows: Row[], memory: { heapKiB: number }, when: string): string {
  const direct = rows[0]!;
  const us = (n: number) => Math.round(n).toLocaleString("en-US");
  const lines = rows.map((r) =>
    `| ${r.target} | ${us(r.p50)} | ${us(r.p99)} | ${r === direct ? "–" : us(r.p50 - direct.p50)} | ${r === direct ? "–" : us(r.p99 - direct.p99)} | ${us(r.sseP50)} | ${us(r.sseP99)} | ${us(r.rps)} | ${r.mbps.toFixed(0)} |`,
  );
  return `## Tunnel (\`npm run bench:tunnel\`)

Loopback, one machine (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, ${os.cpus().length} cores shared with other work, Node ${process.version}).
Every party is its own process: the relay (\`tunnel-relay/src/main.ts\`), the local HTTP server with the tunnel agent
(\`bench/tunnel-side.ts\`), and the clients. "ssh -R" is OpenSSH remote forwarding through a private sshd on loopback.
Latency: ${LATENCY_REQUESTS} sequential 1 KiB POSTs on one keep-alive connection (Node client). SSE: ${SSE_EVENTS} events 4 ms apart,
latency = arrival − timestamp written by the server. req/s: \`wrk -t1 -c${RPS_CONCURRENCY}\`, keep-alive GETs for ${RPS_SECONDS} s.
MB/s: one ${DOWNLOAD_BYTES / 1024 / 1024} MiB download read by \`curl -o /dev/null\`. Each figure is the median of ${ROUNDS} interleaved rounds. Times in µs.

| path | p50 | p99 | added p50 | added p99 | SSE event p50 | SSE event p99 | req/s (${RPS_CONCURRENCY} conc.) | MB/s one stream |
|---|---|---|---|---|---|---|---|---|
${lines.join("\n")}

Memory per idle tunnel (${IDLE_TUNNELS} tunnels connected, no traffic; relay and agent sides together, V8 heap after GC): ${memory.heapKiB.toFixed(1)} KiB.

Run: ${when}.
`;
}

function writeSection(section: string): void {
  const file = resolve(import.meta.dirname, "../../docs/BENCHMARKS.md");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    text = "# Benchmarks\n";
  }
  // Replace only our own section: from "## Tunnel" to the next "## " heading.
  const start = text.search(/^## Tunnel\b/m);
  if (start === -1) {
    text = text.replace(/\s*$/, "\n\n") + section;
  } else {
    const rest = text.slice(start + 1);
    const next = rest.search(/^## /m);
    text = text.slice(0, start) + section + (next === -1 ? "" : "\n" + rest.slice(next));
  }
  writeFileSync(file, text);
}

/** Local server (+ agent when relayUrl is given) in a child process; resolves once it serves. */
async function startTunnelSide(relayUrl?: string): Promise<{ port: number; child: ChildProcess; stop(): Promise<void> }> {
  const args = relayUrl ? ["--relay-url", relayUrl, "--key", KEY, "--name", "bench"] : [];
  const child = spawn(process.execPath, ["--import", "tsx", resolve(import.meta.dirname, "tunnel-side.ts"), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once("line", done);
    child.once("exit", (code) => fail(new Error(`tunnel side exited (${code})`)));
  });
  return {
    port: (JSON.parse(line) as { port: number }).port,
    child,
    stop: () => stopChild(child),
  };
}

async function main(): Promise<void> {
  requireTools();
  const dir = mkdtempSync(join(tmpdir(), "tapline-bench-"));
  const keysFile = join(dir, "keys.json");
  writeFileSync(keysFile, JSON.stringify({ keys: [{ id: "bench", orgId: "bench", sha256: hashApiKey(KEY) }] }));
  const relayPort = await freePort();
  const relay = await startRelayProcess(["--port", String(relayPort), "--keys-file", keysFile, "--max-body-bytes", String(1 << 30)]);
  const side = await startTunnelSide(relay.url);
  const target = new URL(`http://127.0.0.1:${side.port}`);
  const ssh = await startSshReverseTunnel(dir, side.port, await freePort(), await freePort()).catch((error: Error) => {
    process.stderr.write(`ssh -R baseline unavailable: ${error.message}\n`);
    return undefined;
  });
  try {
    const targets: [string, string][] = [["direct", target.origin], ["tapline tunnel", `${relay.url}/t/bench`]];
    if (ssh) targets.push(["ssh -R", ssh.url]);
    // Rounds interleave the paths so a burst of load from elsewhere on the machine hits all of them alike.
    const rounds: Row[][] = targets.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [name, base]] of targets.entries()) rounds[i]!.push(await measure(name, base));
    }
    const rows = rounds.map(medianRow);
    const memory = await idleTunnelMemory(keysFile, target);
    const section = table(rows, memory, new Date().toISOString());
    process.stdout.write(section);
    writeSection(section);
  } finally {
    await side.stop();
    ssh?.stop();
    await relay.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  if (!(error instanceof MissingToolError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
