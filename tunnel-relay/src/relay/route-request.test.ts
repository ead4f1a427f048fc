import { test } from "node:test";
import assert from "node:assert/strict";
import { routePublicRequest } from "./route-request";
import { tunnelUrls } from "./tunnel-urls";

test("subdomain mode takes the name from Host, ignoring port and case", () => {
  assert.deepEqual(routePublicRequest("My-App.Tunnel.Example.com:8443", "/mcp?x=1", "tunnel.example.com"), { name: "my-app", path: "/mcp?x=1" });
});

test("a deeper subdomain or the bare base domain is not a tunnel", () => {
  assert.equal(routePublicRequest("a.b.tunnel.example.com", "/", "tunnel.example.com"), undefined);
  assert.equal(routePublicRequest("tunnel.example.com", "/healthz", "tunnel.example.com"), undefined);
});

test("path mode strips /t/<name> and keeps the query", () => {
  assert.deepEqual(routePublicRequest("relay:3100", "/t/app/mcp?a=b", undefined), { name: "app", path: "/mcp?a=b", prefix: "/t/app" });
  assert.deepEqual(routePublicRequest("relay:3100", "/t/app", undefined), { name: "app", path: "/", prefix: "/t/app" });
  assert.deepEqual(routePublicRequest("relay:3100", "/t/app?x", undefined), { name: "app", path: "/?x", prefix: "/t/app" });
  assert.equal(routePublicRequest("relay:3100", "/metrics", undefined), undefined);
});

test("tunnel URLs list the subdomain form first when a base domain is set", () => {
  assert.deepEqual(tunnelUrls("https://relay.example.com", "t.example.com", "app"), ["https://app.t.example.com", "https://relay.example.com/t/app"]);
  assert.deepEqual(tunnelUrls("http://127.0.0.1:3100", undefined, "app"), ["http://127.0.0.1:3100/t/app"]);
});
