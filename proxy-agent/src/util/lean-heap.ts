import { setFlagsFromString } from "node:v8";

const SMALL_YOUNG_GENERATION = "--semi-space-growth-factor=1";
let small = false;

/**
 * The proxy's garbage is short-lived and small (a few KiB per call), so V8's young generation gains
 * nothing from growing past its initial 1 MiB semi-spaces: left alone it grows to 8–16 MiB ones under
 * load, 15–30 MB of RSS that make calls no cheaper. `--max-semi-space-size` is read only when the heap
 * is created, but the growth factor is read at each scavenge, so setting it to 1 from inside the process
 * keeps the initial size. Called first thing by the CLI entry (and the benchmark's proxy process).
 */
export function keepYoungGenerationSmall(): void {
  small = true;
  setFlagsFromString(SMALL_YOUNG_GENERATION);
}

/** V8 raises the growth factor back to 2 whenever it creates an isolate (a worker thread starts): set it again. */
export function restoreYoungGenerationLimit(): void {
  if (small) setFlagsFromString(SMALL_YOUNG_GENERATION);
}
