import { randomBytes } from "node:crypto";

/** DNS-label-safe so the same name works as `<name>.<base-domain>` and `/t/<name>/`. */
const NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/;

export function tunnelNameProblem(name: string): string | undefined {
  if (NAME_PATTERN.test(name)) return undefined;
  return `tunnel name "${name}" must be 3–63 characters of a–z, 0–9 and "-", starting and ending with a letter or digit`;
}

const ADJECTIVES = ["amber", "brisk", "calm", "deft", "eager", "fond", "glad", "keen", "lucid", "merry", "noble", "quiet", "rapid", "sunny", "tidy", "vivid"];
const NOUNS = ["otter", "falcon", "maple", "river", "comet", "harbor", "meadow", "pebble", "lantern", "badger", "willow", "summit", "cedar", "heron", "quartz", "ember"];

/** Readable and unguessable enough for a dev URL: two words plus 6 random hex digits (16M per pair). */
export function randomTunnelName(): string {
  const bytes = randomBytes(5);
  return `${ADJECTIVES[bytes[0]! % ADJECTIVES.length]}-${NOUNS[bytes[1]! % NOUNS.length]}-${bytes.subarray(2).toString("hex")}`;
}
