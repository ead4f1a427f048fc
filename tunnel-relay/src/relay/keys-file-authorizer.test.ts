import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { hashApiKey, KeysFileAuthorizer, KeysFileError } from "./keys-file-authorizer";
import { ACME_KEY, tempKeysFile } from "../testing/tunnel-fixture";

test("a known key maps to its org and key id; an unknown one to null", async () => {
  const keys = tempKeysFile();
  const authorizer = new KeysFileAuthorizer(keys.keysFile);
  assert.deepEqual(await authorizer.authorize(ACME_KEY), { orgId: "acme", keyId: "acme-dev" });
  assert.equal(await authorizer.authorize(ACME_KEY + "x"), null);
  assert.equal(await authorizer.authorize(""), null);
  keys.cleanup();
});

test("names are reserved per organization; pre-reserved names belong to their org", async () => {
  const keys = tempKeysFile();
  const authorizer = new KeysFileAuthorizer(keys.keysFile);
  assert.equal(await authorizer.reserveName({ orgId: "acme", keyId: "k" }, "shared"), "ok");
  assert.equal(await authorizer.reserveName({ orgId: "acme", keyId: "k" }, "shared"), "ok");
  assert.equal(await authorizer.reserveName({ orgId: "globex", keyId: "k" }, "shared"), "taken");
  assert.equal(await authorizer.reserveName({ orgId: "acme", keyId: "k" }, "globex-owned"), "taken");
  assert.equal(await authorizer.reserveName({ orgId: "globex", keyId: "k" }, "globex-owned"), "ok");
  keys.cleanup();
});

test("an edited keys file is picked up without a restart (revocation)", async () => {
  const keys = tempKeysFile();
  const authorizer = new KeysFileAuthorizer(keys.keysFile);
  assert.ok(await authorizer.authorize(ACME_KEY));
  writeFileSync(keys.keysFile, JSON.stringify({ keys: [{ id: "new", orgId: "acme", sha256: hashApiKey("other") }] }));
  const later = new Date(Date.now() + 5000);
  utimesSync(keys.keysFile, later, later);
  assert.equal(await authorizer.authorize(ACME_KEY), null);
  assert.ok(await authorizer.authorize("other"));
  keys.cleanup();
});

test("a malformed keys file is a clear error naming the file", () => {
  const keys = tempKeysFile();
  const bad = join(keys.dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ keys: [{ id: "a", orgId: "o", sha256: "plaintext-key" }] }));
  assert.throws(() => new KeysFileAuthorizer(bad), (e: unknown) => e instanceof KeysFileError && e.message.includes(bad) && e.message.includes("64 hex"));
  assert.throws(() => new KeysFileAuthorizer(join(keys.dir, "missing.json")), (e: unknown) => e instanceof KeysFileError && /ENOENT/.test(e.message));
  keys.cleanup();
});
