import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRelayCommandLine, RelayCommandLineError } from "./relay-command-line";

test("flags win over environment, environment over defaults", () => {
  const config = parseRelayCommandLine(["--port", "4000", "--base-domain", ".Tunnel.Example.com"], { TAPLINE_RELAY_PORT: "5000", TAPLINE_RELAY_KEYS_FILE: "/etc/keys.json", TAPLINE_RELAY_MAX_STREAMS: "50" });
  assert.notEqual(config, "help");
  if (config === "help") return;
  assert.equal(config.port, 4000);
  assert.equal(config.baseDomain, "tunnel.example.com");
  assert.equal(config.keysFile, "/etc/keys.json");
  assert.equal(config.host, "0.0.0.0");
  assert.deepEqual(config.limits, { maxStreamsPerTunnel: 50 });
});

test("--redis-url without --instance-url is refused with an explanation", () => {
  assert.throws(() => parseRelayCommandLine(["--redis-url", "redis://x"], {}), (e: unknown) => e instanceof RelayCommandLineError && /--instance-url/.test(e.message));
});

test("bad numbers and unknown flags are refused", () => {
  assert.throws(() => parseRelayCommandLine(["--port", "http"], {}), RelayCommandLineError);
  assert.throws(() => parseRelayCommandLine(["--max-body-bytes", "-1"], {}), RelayCommandLineError);
  assert.throws(() => parseRelayCommandLine(["--nope"], {}), RelayCommandLineError);
  assert.equal(parseRelayCommandLine(["--help"], {}), "help");
});
