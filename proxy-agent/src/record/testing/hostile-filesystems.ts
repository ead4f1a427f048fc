import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempMount {
  dir: string;
  unmount(): void;
}

/** A directory on a tiny tmpfs (needs root and mount rights); undefined when this machine cannot mount. */
export function mountTinyDisk(sizeKb: number): TempMount | undefined {
  return mountOnTempDir("tapline-full-", [["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs"]]);
}

/**
 * A read-only view of `sourceDir`: a read-only bind mount, because root ignores file modes.
 * Undefined when this machine cannot mount.
 */
export function mountReadOnlyView(sourceDir: string): TempMount | undefined {
  return mountOnTempDir("tapline-ro-", [["--bind", sourceDir], ["-o", "remount,ro,bind"]]);
}

/** Runs `mount ...args DIR` for each step on a fresh temp dir; undoes everything if a step fails. */
function mountOnTempDir(prefix: string, steps: readonly string[][]): TempMount | undefined {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const unmount = () => {
    try {
      // Lazy: a file handle the OS has not released yet must not fail the test's cleanup.
      execFileSync("umount", ["-l", dir], { stdio: "ignore" });
    } catch {
      // Never mounted.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const args of steps) execFileSync("mount", [...args, dir], { stdio: "ignore" });
  } catch {
    unmount();
    return undefined;
  }
  return { dir, unmount };
}
