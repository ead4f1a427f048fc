/**
 * One load-generator process of `bench:ingest` (forked by scripts/bench/ingest.ts): builds its
 * share of the request bodies before the clock starts, then, on "go", sends them back to back over
 * `connections` keep-alive connections until the time is up, and reports what it saw. Separate
 * processes keep the sending off the orchestrator's event loop and make its CPU measurable.
 */
import { RawHttpConnection, prepareRequest } from "./raw-http-client";
import { makeBodies } from "./ingest-records";

export interface LoadPlan {
  url: string;
  key: string;
  connections: number;
  /** Index of the first record, and how many bodies to build from there. */
  firstRecord: number;
  bodies: number;
  now: number;
}

export type ToLoad = { type: "plan"; plan: LoadPlan } | { type: "go"; seconds: number };
export type FromLoad = { type: "ready" } | { type: "done"; latencies: number[]; errors: number; sent: number };

const send = (m: FromLoad) => process.send!(m);

async function run(plan: LoadPlan, bodies: Buffer[], seconds: number): Promise<FromLoad> {
  const url = new URL(plan.url);
  const connections = await Promise.all(Array.from({ length: plan.connections }, () => RawHttpConnection.open(url)));
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    connections.map(async (connection) => {
      while (performance.now() < deadline && next < bodies.length) {
        const request = bodies[next++]!;
        const t = performance.now();
        const res = await connection.send(request);
        latencies.push(performance.now() - t);
        if (res.status !== 200) errors++;
      }
      connection.close();
    }),
  );
  return { type: "done", latencies, errors, sent: next };
}

let plan: LoadPlan | undefined;
let bodies: Buffer[] = [];
process.on("message", (m: ToLoad) => {
  if (m.type === "plan") {
    plan = m.plan;
    const url = new URL(plan.url);
    const headers = { authorization: `Bearer ${plan.key}`, "content-type": "application/json", "content-encoding": "gzip" };
    bodies = makeBodies(plan.firstRecord, plan.bodies, plan.now).map((body) => prepareRequest(url, "/api/v1/ingest", headers, body));
    send({ type: "ready" });
  } else {
    void run(plan!, bodies, m.seconds).then((r) => {
      send(r);
      process.disconnect();
    });
  }
});
