/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), and a screenshot helper
 * that writes into test-artifacts/screenshots/.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

const root = resolve(new URL("../..", import.meta.url).pathname);
export const SCREENSHOT_DIR = join(root, "test-artifacts", "screenshots");

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * PNG named `<name>.png`; returns its path. Full page by default; pass `fullPage: false` while a
 * modal is open (its backdrop covers only the viewport).
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // Let fonts and the enter animations settle so screenshots are stable.
  await page.evaluate(() => document.fonts.ready);
  // A sticky header would be drawn mid-page in a full-page capture taken while scrolled.
  if (options.fullPage ?? true) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(250);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}
