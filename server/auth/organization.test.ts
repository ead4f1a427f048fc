import { test } from "node:test";
import assert from "node:assert/strict";
import { RESERVED_ORG_SLUGS, RESERVED_PROJECT_SLUGS, slugify, uniqueSlug } from "./organization";

const nothingTaken = async () => false;

test("slugs are readable ASCII made from the name", () => {
  assert.equal(slugify("Acme Café — MCP Servers!"), "acme-cafe-mcp-servers");
  assert.equal(slugify("!!!"), "org");
});

test("a slug the app uses for its own pages is never given to an organization or a project", async () => {
  for (const word of ["account", "invite", "signin", "api"]) {
    const slug = await uniqueSlug(word, nothingTaken);
    assert.ok(!RESERVED_ORG_SLUGS.has(slug) && slug.startsWith(`${word}-`), `${word} → ${slug}`);
  }
  const project = await uniqueSlug("settings", nothingTaken, RESERVED_PROJECT_SLUGS);
  assert.match(project, /^settings-[0-9a-f]{6}$/);
  assert.equal(await uniqueSlug("weather", nothingTaken, RESERVED_PROJECT_SLUGS), "weather");
});

test("a taken slug gets a suffix", async () => {
  const slug = await uniqueSlug("acme", async (s) => s === "acme");
  assert.match(slug, /^acme-[0-9a-f]{6}$/);
});
