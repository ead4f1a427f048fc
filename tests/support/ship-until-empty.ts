// A shipping agent as its own process, so a test can SIGKILL it mid-ship and start it again.
// Usage: node --import tsx tests/support/ship-until-empty.ts DB_PATH CLOUD_URL API_KEY
import { openStoreForWriting } from "../../proxy-agent/src/record/store-database";
import { SqliteOutbox } from "../../proxy-agent/src/ship/sqlite-outbox";
import { IngestClient } from "../../proxy-agent/src/ship/ingest-client";
import { OutboxShipper } from "../../proxy-agent/src/ship/outbox-shipper";

const [dbPath, cloudUrl, apiKey] = process.argv.slice(2) as [string, string, string];
const db = openStoreForWriting(dbPath);
const outbox = new SqliteOutbox(db, new URL(cloudUrl).origin);
const client = new IngestClient({ cloudUrl, apiKey, userAgent: "tapline-test" });
const shipper = new OutboxShipper(outbox, client, {
  serverId: "weather",
  agentVersion: "test",
  cloudUrl,
  batchSize: 50,
  intervalMs: 20,
  backoff: { baseMs: 10, maxMs: 100 },
  log: (level, message) => process.stderr.write(`${level}: ${message}\n`),
});
shipper.start();
const timer = setInterval(async () => {
  if (outbox.stats().backlog === 0) {
    clearInterval(timer);
    await shipper.close();
    await client.close();
    db.close();
    process.exit(0);
  }
}, 50);
