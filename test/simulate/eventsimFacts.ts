// What eventsim's 26 original configurations (Accordion-config.json … Zither-config.json) say, stated
// here so that the configurations test compares the project's encoding (lib/simulate/configurations.ts)
// with values the project holds. The conformance suite (test/conformance/eventsim.test.ts, with
// SPARKIFY_CONFORMANCE_DIR) checks these statements against the original files themselves.
import { createHash } from "node:crypto";

/** One configuration as the originals state it. */
export interface EventsimFacts {
  name: string;
  alpha: number;
  beta: number;
  damping: number;
  weekendDamping: number;
  weekendDampingOffset: number;
  weekendDampingScale: number;
  sessionGap: number;
  /** Transitions with p > 0. */
  transitions: number;
  /** Of those, how many have another p than the template's (Accordion), how many the template lacks; and template edges removed. */
  changed: number;
  added: number;
  removed: number;
  /** {@link tableDigest} of the transitions with p > 0, and of the new-session entry weights. */
  transitionsDigest: string;
  newSessionDigest: string;
}

type Row = [string, number, number, number, number, number, number, number, number, number, number, number, string, string];

// name, alpha, beta, damping, weekend-damping, weekend-damping-offset, weekend-damping-scale, session-gap,
// transitions, changed, added, removed, transitions digest, new-session digest
const ROWS: Row[] = [
  ["Accordion", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Banjo", 90, 604800, 0.09375, 0.27, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Cello", 90, 604800, 0.09375, 0.79, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Drum", 90, 604800, 0.04327, 0.5, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Ektara", 90, 604800, 0.2137, 0.5, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Fiddle", 60, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Guitar", 120, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Horn", 90, 259200, 0.09375, 0.5, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Igil", 90, 1036800, 0.09375, 0.5, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Jug", 60, 1036800, 0.04327, 0.27, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Koto", 120, 259200, 0.2137, 0.79, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Lute", 90, 1209600, 0.007, 0.007, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Marimba", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 100, 0, 0, "c8ba6648b30f042f", "53d830656cb6c6b0"],
  ["Nagara", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 28, 0, 0, "05df9b7540bcac0f", "53d830656cb6c6b0"],
  ["Oboe", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 113, 0, 0, "518d55380af57097", "53d830656cb6c6b0"],
  ["Piano", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 8, 0, 0, "964aafe7b97bd9a4", "53d830656cb6c6b0"],
  ["Quena", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 23, 0, 0, "7a937113cdedbb71", "53d830656cb6c6b0"],
  ["Recorder", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 266, 26, 1, 0, "42aa0e76199ddba6", "53d830656cb6c6b0"],
  ["Saxophone", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 266, 34, 1, 0, "d97a3d3ba3e2d83c", "53d830656cb6c6b0"],
  ["Tuba", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 266, 30, 1, 0, "d03f2e20ae55107c", "53d830656cb6c6b0"],
  ["Ukelele", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Viola", 60, 1036800, 0.04327, 0.27, 180, 360, 1800, 265, 0, 0, 0, "d9d125213b654100", "53d830656cb6c6b0"],
  ["Whistle", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 25, 0, 0, "c1025570278e5bc0", "53d830656cb6c6b0"],
  ["Xylophone", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 29, 0, 0, "d9e1e0e3f40b7395", "53d830656cb6c6b0"],
  ["Yu", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 26, 0, 0, "93cddd4ffd6e9d1c", "53d830656cb6c6b0"],
  ["Zither", 90, 604800, 0.09375, 0.5, 180, 360, 1800, 265, 28, 0, 0, "426d408b04a22fee", "53d830656cb6c6b0"],
];

/** The 26 configurations, A–Z. */
export const EVENTSIM_FACTS: readonly EventsimFacts[] = ROWS.map((r) => ({
  name: r[0], alpha: r[1], beta: r[2], damping: r[3], weekendDamping: r[4], weekendDampingOffset: r[5], weekendDampingScale: r[6],
  sessionGap: r[7], transitions: r[8], changed: r[9], added: r[10], removed: r[11], transitionsDigest: r[12], newSessionDigest: r[13],
}));

/**
 * A short fingerprint of a table of "key=value" entries: the first 16 hex digits of the SHA-256 of the
 * entries sorted by code point, joined by newlines. Values are JavaScript number strings, so 0.1 and
 * 0.10 are the same entry and 0.1 and 0.11 are not.
 */
export function tableDigest(entries: Iterable<readonly [string, number]>): string {
  const lines = [...entries].map(([k, v]) => `${k}=${v}`).sort();
  return createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
}
