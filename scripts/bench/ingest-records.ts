/**
 * The records `bench:ingest` sends: sessions of 25 calls, with the latency and failure mix of
 * bench:dashboard: tool popularity skewed towards tool_00, latency growing with the tool's index
 * (tool_19 ~1 s mean, about a fifth of all calls ≥ 100 ms), about 4% failures (tool_07 ~30%).
 * Sessions come from four clients; request ids, request and response sizes vary per call as they
 * do in real traffic. Timestamps lie in the last minute, as an agent shipping live traffic sends
 * them, and never before the current hour: records of a closed hour make the rollup job (running
 * in the app) rewrite that hour while ingestion waits for it, which would make the result depend
 * on the time of day (docs/ingestion.md, Performance). Record `i` is the same whichever process
 * makes it, so load generators given disjoint index ranges send distinct records.
 */
import { gzipSync } from "node:zlib";
import { makeBatch, makeRecord } from "../../tests/support/records";
import type { CallRecord } from "../../proxy-agent/src/wire";

export const BATCH = 500;

const ERRORS = [
  ["tool_error", null, (i: number) => `upstream returned 502 for request ${i % 1000}`],
  ["rpc_error", -32603, (i: number) => `internal error at step ${i % 7}`],
  ["timeout", null, () => "no response within 30000 ms"],
] as const;

const CLIENTS = [
  ["Claude", "1.0.0"],
  ["Cursor", "1.7.2"],
  ["ChatGPT", "2026-10-01"],
  ["VS Code", "1.105.0"],
] as const;

/** A small LCG seeded per range: the mix is a property of many records, not of one sequence. */
function lcg(seed: number): () => number {
  let s = seed % 2 ** 31;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

function benchRecord(i: number, now: number, random: () => number): CallRecord {
  const hourStart = now - (now % 3_600_000);
  const t = Math.floor(20 * random() ** 2);
  const durationUs = Math.max(50, Math.round(2000 * 1.4 ** t * (0.1 - Math.log(1 - random()))));
  const r = random();
  const failure: number = t === 7 ? (r < 0.25 ? 0 : r < 0.28 ? 1 : r < 0.3 ? 2 : -1) : r < 0.02 ? 0 : r < 0.025 ? 1 : r < 0.027 ? 2 : -1;
  const error = ERRORS[failure];
  const [status, errorCode, message] = error ? [error[0], error[1], error[2](i)] : (["ok", null, null] as const);
  const session = Math.floor(i / 25);
  const seq = (i % 25) + 1;
  const [clientName, clientVersion] = CLIENTS[session % CLIENTS.length]!;
  return makeRecord({
    ts: Math.max(hourStart, now - (i % 60_000)),
    sessionId: `s${session}`,
    seq,
    rpcId: String(seq),
    clientName,
    clientVersion,
    target: `tool_${String(t).padStart(2, "0")}`,
    durationUs,
    bytesIn: 60 + Math.floor(random() * 600),
    bytesOut: 100 + Math.floor(random() ** 3 * 20_000),
    status,
    errorCode,
    errorMessage: message,
  });
}

/**
 * `count` gzip request bodies of BATCH records each, records `first` … `first + count·BATCH − 1`
 * (`first` a multiple of BATCH, so no session straddles two batches).
 */
export function makeBodies(first: number, count: number, now: number): Buffer[] {
  const random = lcg(42 + first);
  return Array.from({ length: count }, (_, b) => {
    const base = first + b * BATCH;
    const records = Array.from({ length: BATCH }, (_, j) => benchRecord(base + j, now, random));
    return gzipSync(JSON.stringify(makeBatch(records)));
  });
}
