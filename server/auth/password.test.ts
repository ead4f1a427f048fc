import { test } from "node:test";
import assert from "node:assert/strict";
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from "./password";

test("a password hashes to scrypt$N$r$p$salt$hash with N ≥ 2^15 and verifies", async () => {
  const stored = await hashPassword("correct horse battery staple");
  const [kind, N, r, p, salt, hash] = stored.split("$");
  assert.equal(kind, "scrypt");
  assert.ok(Number(N) >= 2 ** 15);
  assert.equal(Number(r), 8);
  assert.equal(Number(p), 1);
  assert.ok((salt ?? "").length >= 16 && (hash ?? "").length >= 32);
  assert.equal(await verifyPassword("correct horse battery staple", stored), true);
  assert.equal(needsRehash(stored), false);
});

test("a wrong password, or a malformed stored hash, does not verify (and never throws)", async () => {
  const stored = await hashPassword("correct horse battery staple");
  assert.equal(await verifyPassword("correct horse battery stapl", stored), false);
  assert.equal(await verifyPassword("correct horse battery staple", "scrypt$garbage"), false);
  assert.equal(await verifyPassword("x", ""), false);
  assert.equal(await verifyPassword("x", "bcrypt$2b$10$abc"), false);
  assert.equal(await verifyPassword("x", "scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), false);
});

test("the same password hashes differently each time (random salt)", async () => {
  const [a, b] = await Promise.all([hashPassword("same password!"), hashPassword("same password!")]);
  assert.notEqual(a, b);
});

test("hashes made with weaker parameters verify and are flagged for re-hashing", async () => {
  const weak = await hashPassword("legacy password", { N: 2 ** 10, r: 8, p: 1 });
  assert.equal(await verifyPassword("legacy password", weak), true);
  assert.equal(needsRehash(weak), true);
});

test("password rules give actionable messages", () => {
  assert.match(passwordProblem("short") ?? "", /at least 10 characters/);
  assert.equal(passwordProblem("long enough password"), null);
});
