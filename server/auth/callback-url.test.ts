import { test } from "node:test";
import assert from "node:assert/strict";
import { inviteTokenFrom, safeCallbackUrl } from "./callback-url";

test("only same-site relative callback URLs are followed", () => {
  assert.equal(safeCallbackUrl("/acme/weather?tab=keys"), "/acme/weather?tab=keys");
  for (const bad of ["https://evil.test/", "//evil.test/x", "/\\evil.test", "javascript:alert(1)", "", undefined, 42, "/ok\r\nLocation: x"]) {
    assert.equal(safeCallbackUrl(bad), "/", String(bad));
  }
});

test("the invitation token comes from ?invite= or from a /invite/<token> callback URL", () => {
  assert.equal(inviteTokenFrom("abc", "/x"), "abc");
  assert.equal(inviteTokenFrom(undefined, "/invite/a%2Db_c"), "a-b_c");
  assert.equal(inviteTokenFrom(undefined, "/invite/tok?x=1"), "tok");
  assert.equal(inviteTokenFrom(undefined, "/acme"), undefined);
  assert.equal(inviteTokenFrom(undefined, "/invite/%E0%A4%A"), undefined);
});
