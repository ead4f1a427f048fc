/**
 * Browser end-to-end: a new user goes from the sign-in page to a created API key.
 * Runs the built app (`npx next build` first; `npm test` does it) against a fresh database and a
 * real local OIDC provider, in Debian's Chromium. Screenshots: test-artifacts/screenshots/.
 *
 *   node --import tsx --test tests/e2e/onboarding.test.ts
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { freePort, startAppServer, type AppServer } from "../support/app-server";
import { startOidcServer, type OidcServer } from "../support/oidc-server";
import { launchBrowser, screenshot } from "./browser";

const SIGN_IN_PATH = "/signin";
const SIGN_UP_PATH = "/signup";
const CAROL_PASSWORD = "correct horse battery staple";

let idp: OidcServer;
let app: AppServer;
let browser: Browser;
/** Alice stays signed in across tests (she invites Carol in the last one). */
let alice: Page | undefined;
/** Made by the first test (Alice invites Bob), accepted by the last. */
let invitationLink: string | undefined;
let aliceOrgSlug: string | undefined;

before(async () => {
  const port = await freePort();
  idp = await startOidcServer({ appOrigin: `http://localhost:${port}` });
  app = await startAppServer({ port, env: idp.env });
  browser = await launchBrowser();
});

after(async () => {
  await alice?.context().close();
  await browser?.close();
  await app?.stop();
  await idp?.close();
});

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** Drives oidc-provider's development login page, and its consent page when it is asked. */
async function completeIdpLogin(page: Page, accountId: string): Promise<void> {
  const idpOrigin = new URL(idp.issuer).origin;
  const appOrigin = new URL(app.url).origin;
  await page.waitForURL((u) => u.origin === idpOrigin);
  await page.locator('input[name="login"]').fill(accountId);
  await page.locator('input[name="password"]').fill("any-password");
  await page.locator('button[type="submit"]').click();
  // Consent ("Continue") is asked on an account's first authorization of this client.
  const consent = page.locator('input[name="prompt"][value="consent"]');
  const backInApp = page.waitForURL((u) => u.origin === appOrigin).then(() => "app" as const);
  const consentShown = consent.waitFor({ state: "attached" }).then(() => "consent" as const);
  backInApp.catch(() => {});
  consentShown.catch(() => {});
  if ((await Promise.race([backInApp, consentShown])) === "consent") {
    await page.getByRole("button", { name: "Continue" }).click();
  }
  await page.waitForURL((u) => u.origin === appOrigin && !u.pathname.startsWith("/api/auth"));
}

describe("onboarding in the browser", { timeout: 180_000 }, () => {
  test("OIDC sign-in lands in the auto-created org; project and API key are created; the key is shown once", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: "light" });
    const page = await newPage(context);
    alice = page;
    {
      // Signed out: / sends to sign-in.
      await page.goto(app.url);
      await page.waitForURL((u) => u.pathname === SIGN_IN_PATH);
      await screenshot(page, "01-sign-in");

      await page.getByRole("button", { name: new RegExp(idp.env.AUTH_OIDC_NAME, "i") }).click();
      await completeIdpLogin(page, "alice");

      // The personal organization made at first sign-in, with its designed empty state.
      await page.getByRole("heading", { name: "Projects", level: 1 }).waitFor();
      const orgSlug = new URL(page.url()).pathname.split("/")[1]!;
      assert.ok(orgSlug, `landed on an organization (${page.url()})`);
      aliceOrgSlug = orgSlug;
      await page.getByRole("heading", { name: "Create your first project" }).waitFor();
      await screenshot(page, "02-projects-empty");

      // Create a project.
      // Dialogs close with Esc.
      await page.getByRole("button", { name: "New project" }).click();
      await page.keyboard.press("Escape");
      await page.getByRole("dialog").waitFor({ state: "hidden" });
      await page.getByRole("button", { name: "New project" }).click();
      const projectDialog = page.getByRole("dialog", { name: "New project" });
      await projectDialog.getByLabel("Project name").fill("Weather MCP");
      await screenshot(page, "03-create-project-dialog", { fullPage: false });
      await projectDialog.getByRole("button", { name: "Create project" }).click();
      await page.waitForURL((u) => u.pathname === `/${orgSlug}/weather-mcp`);
      await page.getByRole("heading", { name: "Connect your MCP server" }).waitFor();
      const command = await page.locator("pre code").first().textContent();
      assert.match(command ?? "", /^npx tapline http --remote-url \S+ --api-key \S+ --cloud-url http:\/\/localhost:\d+$/);
      await screenshot(page, "04-project-onboarding");

      // Project settings: create a key; it is shown once, in a dialog.
      await page.goto(`${app.url}/${orgSlug}/weather-mcp/settings`);
      await page.getByRole("heading", { name: "No API keys yet" }).waitFor();
      await page.getByRole("button", { name: "Create API key" }).click();
      const keyDialog = page.getByRole("dialog", { name: "Create API key" });
      await keyDialog.getByLabel("Key name").fill("laptop");
      await keyDialog.getByRole("button", { name: "Create key" }).click();
      const shown = page.getByRole("dialog", { name: "Your new API key" });
      const keyInput = shown.getByLabel("API key");
      await keyInput.waitFor();
      const key = await keyInput.inputValue();
      assert.match(key, /^tpl_\w{20,}/, "a full key is shown");
      assert.ok(await shown.getByText("This is the only time the key is shown.").isVisible());
      await screenshot(page, "05-project-settings-key-dialog", { fullPage: false });
      await shown.getByRole("button", { name: "I have copied the key" }).click();
      await shown.waitFor({ state: "hidden" });

      const row = page.getByRole("row", { name: /laptop/ });
      await row.waitFor();
      const prefixText = await row.locator("code").textContent();
      assert.ok(prefixText && key.startsWith(prefixText.replace("…", "")), "the list shows the key's prefix");
      assert.ok(!(await page.content()).includes(key), "the full key is gone once the dialog is closed");

      await page.reload();
      await page.getByRole("row", { name: /laptop/ }).waitFor();
      assert.ok(!(await page.content()).includes(key), "after a reload the key is not in the page");
      await screenshot(page, "06-project-settings");

      // Org settings: members and an invitation link.
      await page.goto(`${app.url}/${orgSlug}/settings`);
      await page.getByRole("heading", { name: "Organization settings" }).waitFor();
      await page.getByRole("button", { name: "Invite people" }).click();
      const inviteDialog = page.getByRole("dialog", { name: "Invite people" });
      await inviteDialog.getByLabel("Email address").fill("bob@example.com");
      await inviteDialog.getByRole("button", { name: "Create invitation" }).click();
      const link = await page.getByTestId("invitation-url").inputValue();
      assert.match(link, new RegExp(`^${app.url}/invite/`));
      invitationLink = link;
      await screenshot(page, "07-org-settings-invitation-link", { fullPage: false });
      await page.getByRole("button", { name: "Done" }).click();
      await page.getByRole("cell", { name: /^bob@example\.com/ }).waitFor();
      await screenshot(page, "08-org-settings");

      // The org switcher: lists the user's organizations; Esc closes it.
      await page.getByRole("button", { name: "Switch organization" }).click();
      await page.getByRole("menu", { name: "Switch organization" }).waitFor();
      await screenshot(page, "08b-org-switcher", { fullPage: false });
      await page.keyboard.press("Escape");
      await page.getByRole("menu").waitFor({ state: "hidden" });

      // An organization that is not the user's is a designed 404, not an error.
      const missing = await page.goto(`${app.url}/no-such-org`);
      assert.equal(missing?.status(), 404);
      await page.getByRole("heading", { name: /does not exist/ }).waitFor();
      const missingProject = await page.goto(`${app.url}/${orgSlug}/no-such-project`);
      assert.equal(missingProject?.status(), 404);
      await page.getByRole("heading", { name: "Nothing here" }).waitFor();

      // Account.
      await page.goto(`${app.url}/account`);
      await page.getByRole("heading", { name: "Account", level: 1 }).waitFor();
      await screenshot(page, "09-account");

      // Dark mode: the toggle applies at once and persists across a reload.
      await page.goto(`${app.url}/${orgSlug}`);
      await page.getByRole("radio", { name: "Dark" }).first().click();
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains("dark")), true);
      await page.reload();
      await page.getByRole("heading", { name: "Projects", level: 1 }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains("dark")), true, "dark mode persists");
      await screenshot(page, "10-projects-dark");
      await page.goto(`${app.url}/${orgSlug}/weather-mcp`);
      await page.getByRole("heading", { name: "Connect your MCP server" }).waitFor();
      await screenshot(page, "11-project-onboarding-dark");

      // Narrow screens: the top bar and the onboarding panel still fit.
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, "15-project-onboarding-mobile");
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), true, "no sideways scrolling on a phone");
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test("email and password sign-up works in the browser and lands in a new organization", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await newPage(context);
    try {
      await page.goto(`${app.url}${SIGN_UP_PATH}`);
      await screenshot(page, "12-sign-up");
      await page.getByLabel(/name/i).first().fill("Carol Example");
      await page.getByLabel(/email/i).fill("carol@example.com");
      await page.getByLabel(/^password/i).fill(CAROL_PASSWORD);
      await page.getByRole("button", { name: "Create account", exact: true }).click();
      await page.getByRole("heading", { name: "Projects", level: 1 }).waitFor();
      assert.notEqual(new URL(page.url()).pathname, SIGN_UP_PATH);

      // Signed in for real: the account page shows the new user.
      await page.goto(`${app.url}/account`);
      await page.getByText("Signed in as carol@example.com", { exact: false }).waitFor();

      // A second organization from the switcher; `/` then opens the one used last.
      await page.getByRole("button", { name: "Switch organization" }).click();
      await page.getByRole("menuitem", { name: "Create organization" }).click();
      const dialog = page.getByRole("dialog", { name: "Create organization" });
      await dialog.getByLabel("Name").fill("Carol Labs");
      await dialog.getByRole("button", { name: "Create organization" }).click();
      await page.waitForURL((u) => u.pathname === "/carol-labs");
      await page.getByRole("heading", { name: "Create your first project" }).waitFor();
      await page.goto(app.url);
      await page.waitForURL((u) => u.pathname === "/carol-labs");
    } finally {
      await context.close();
    }
  });

  test("invited people join: through a provider at first sign-in, or with the Accept button", async () => {
    assert.ok(alice && invitationLink && aliceOrgSlug, "the first test signed Alice in and invited Bob");
    const orgName = (await alice.goto(`${app.url}/${aliceOrgSlug}/settings`), await alice.getByLabel("Organization name").inputValue());

    // Bob's first sign-in through the identity provider accepts his pending invitation.
    const bobContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const bob = await newPage(bobContext);
    try {
      await bob.goto(invitationLink);
      await bob.getByRole("link", { name: "Sign in to accept" }).waitFor();
      await screenshot(bob, "13-invitation-signed-out");
      await bob.getByRole("link", { name: "Sign in to accept" }).click();
      await bob.waitForURL((u) => u.pathname === SIGN_IN_PATH);
      await bob.getByRole("button", { name: new RegExp(idp.env.AUTH_OIDC_NAME, "i") }).click();
      await completeIdpLogin(bob, "bob");
      await bob.getByRole("link", { name: `Go to ${orgName}` }).click();
      await bob.waitForURL((u) => u.pathname === `/${aliceOrgSlug}`);
      await bob.getByRole("link", { name: /Weather MCP/ }).waitFor();
    } finally {
      await bobContext.close();
    }

    // Carol already has an account (made in the sign-up test): she accepts with the button.
    await alice.getByRole("button", { name: "Invite people" }).click();
    const inviteDialog = alice.getByRole("dialog", { name: "Invite people" });
    await inviteDialog.getByLabel("Email address").fill("carol@example.com");
    await inviteDialog.getByLabel("Role").selectOption("viewer");
    await inviteDialog.getByRole("button", { name: "Create invitation" }).click();
    const carolLink = await alice.getByTestId("invitation-url").inputValue();
    await alice.getByRole("button", { name: "Done" }).click();

    const carolContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const carol = await newPage(carolContext);
    try {
      await carol.goto(carolLink);
      await carol.getByRole("link", { name: "Sign in to accept" }).click();
      await carol.waitForURL((u) => u.pathname === SIGN_IN_PATH);
      await carol.getByLabel("Email").fill("carol@example.com");
      await carol.getByLabel("Password").fill(CAROL_PASSWORD);
      await carol.getByRole("button", { name: "Sign in", exact: true }).click();
      const accept = carol.getByRole("button", { name: `Accept and join ${orgName}` });
      await accept.waitFor();
      await screenshot(carol, "14-invitation-accept");
      await accept.click();
      await carol.waitForURL((u) => u.pathname === `/${aliceOrgSlug}`);
      await carol.getByRole("link", { name: /Weather MCP/ }).waitFor();
      // A viewer: no "New project" button.
      assert.equal(await carol.getByRole("button", { name: "New project" }).count(), 0);
    } finally {
      await carolContext.close();
    }

    // Alice sees both as members.
    await alice.reload();
    await alice.getByRole("cell", { name: /bob@example\.com/ }).first().waitFor();
    await alice.getByRole("cell", { name: /carol@example\.com/ }).first().waitFor();
    // Owners change roles in place.
    await alice.getByLabel("Role of Carol Example").selectOption("member");
    await alice.getByText("Role changed to member").waitFor();
    await alice.getByRole("radio", { name: "Light" }).first().click();
    await screenshot(alice, "16-org-settings-members");
  });
});
