import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveTunnelTarget } from "./tunnel-target";

test("--port means localhost; --to keeps a base path", () => {
  assert.equal(resolveTunnelTarget({ port: "3001" }).href, "http://localhost:3001/");
  assert.equal(resolveTunnelTarget({ to: "http://127.0.0.1:8080/base" }).href, "http://127.0.0.1:8080/base");
});

test("exactly one of --port and --to, and nothing malformed", () => {
  for (const bad of [{}, { port: 1, to: "http://x" }, { port: "0" }, { port: "http" }, { to: "localhost:3001" }, { to: "https://x" }, { to: "http://x/?q=1" }]) {
    assert.throws(() => resolveTunnelTarget(bad), (e: { code: string }) => e.code === "invalid_target", JSON.stringify(bad));
  }
});
