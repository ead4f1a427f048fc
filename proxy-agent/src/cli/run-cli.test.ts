import { test } from "node:test";
import assert from "node:assert/strict";
import { runCliCaptured } from "./testing/run-cli-captured";
import { COMMANDS } from "./commands/index";
import { TAPLINE_VERSION } from "./version";

test("--version prints the package version", async () => {
  const r = await runCliCaptured(["--version"]);
  assert.deepEqual(r, { code: 0, stdout: `${TAPLINE_VERSION}\n`, stderr: "" });
});

test("--help lists every command; bare tapline prints it to stderr and exits 2", async () => {
  const help = await runCliCaptured(["--help"]);
  assert.equal(help.code, 0);
  for (const c of COMMANDS) assert.match(help.stdout, new RegExp(`\\n  ${c.metadata.name} `), c.metadata.name);
  const bare = await runCliCaptured([]);
  assert.equal(bare.code, 2);
  assert.equal(bare.stdout, "");
  assert.match(bare.stderr, /Usage: tapline <command>/);
});

test("every command has --help and 'tapline help CMD', with its usage, options and examples", async () => {
  for (const c of COMMANDS) {
    const viaFlag = await runCliCaptured([c.metadata.name, "--help"]);
    const viaHelp = await runCliCaptured(["help", c.metadata.name]);
    assert.equal(viaFlag.code, 0, c.metadata.name);
    assert.equal(viaFlag.stdout, viaHelp.stdout, c.metadata.name);
    assert.match(viaFlag.stdout, new RegExp(`^Usage: tapline ${c.metadata.name}`), c.metadata.name);
    assert.match(viaFlag.stdout, /--verbose/, c.metadata.name);
    for (const [name, spec] of Object.entries(c.options)) {
      if (!spec.hidden) assert.match(viaFlag.stdout, new RegExp(`--${name}\\b`), `${c.metadata.name} --${name}`);
    }
  }
});

test("an unknown command or flag is a one-line message plus usage, exit 2, nothing on stdout", async () => {
  const unknown = await runCliCaptured(["statz"]);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stdout, "");
  assert.equal(unknown.stderr.split("\n")[0], 'tapline: unknown command "statz"');

  const badFlag = await runCliCaptured(["stats", "--frobnicate"]);
  assert.equal(badFlag.code, 2);
  const lines = badFlag.stderr.trimEnd().split("\n");
  assert.match(lines[0]!, /^tapline: Unknown option '--frobnicate'/);
  assert.equal(lines[1], "Usage: tapline stats [options]");
  assert.equal(lines.length, 3);

  const missingValue = await runCliCaptured(["slow", "--threshold"]);
  assert.equal(missingValue.code, 2);

  const helpUnknown = await runCliCaptured(["help", "nope"]);
  assert.equal(helpUnknown.code, 2);
});

test("errors carry no stack trace unless --verbose", async () => {
  const quiet = await runCliCaptured(["stats", "--since", "soon"]);
  assert.equal(quiet.code, 2);
  assert.doesNotMatch(quiet.stderr, /\n\s+at /);
  const verbose = await runCliCaptured(["stats", "--since", "soon", "--verbose"]);
  assert.match(verbose.stderr, /\n\s+at /);
});
