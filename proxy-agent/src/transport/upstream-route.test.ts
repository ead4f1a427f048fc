import { test } from "node:test";
import assert from "node:assert/strict";
import { routeRequest, upstreamRoute } from "./upstream-route";

test("the remote endpoint path and the /mcp alias both reach the remote URL", () => {
  const route = upstreamRoute("https://api.example.com/v1/abc/mcp?key=k", "http");
  assert.deepEqual(routeRequest(route, "/mcp"), { upstreamPath: "/v1/abc/mcp?key=k", isEndpoint: true, pathname: "/mcp" });
  assert.deepEqual(routeRequest(route, "/v1/abc/mcp"), { upstreamPath: "/v1/abc/mcp?key=k", isEndpoint: true, pathname: "/v1/abc/mcp" });
  assert.equal(routeRequest(route, "/mcp?x=1").upstreamPath, "/v1/abc/mcp?x=1");
});

test("other paths pass through unchanged to the upstream origin", () => {
  const route = upstreamRoute("http://127.0.0.1:3001/sse", "sse");
  assert.deepEqual(routeRequest(route, "/message?sessionId=1"), { upstreamPath: "/message?sessionId=1", isEndpoint: false, pathname: "/message" });
  assert.equal(routeRequest(route, "/.well-known/oauth-protected-resource").isEndpoint, false);
});
