import { barChart } from "./barChart";
import { Figure } from "./types";

/** Share of one page among a group's events. */
export interface PageMixRow {
  page: string;
  group: string;
  events: number;
  /** events / all events of the group. */
  share: number;
}

/**
 * Grouped horizontal bars of each page's share of events per group. NextSong dominates, so
 * `excludePages` (default NextSong) leaves pages out to show the rest.
 */
export function pageMix(rows: PageMixRow[], excludePages: string[] = ["NextSong"], title = "Page mix (share of each group's events)"): Figure {
  const kept = rows.filter((r) => !excludePages.includes(r.page));
  const groups = [...new Set(kept.map((r) => r.group))].sort();
  const total = new Map<string, number>();
  for (const r of kept) total.set(r.page, (total.get(r.page) ?? 0) + r.share);
  const pages = [...total.keys()].sort((a, b) => (total.get(b) as number) - (total.get(a) as number) || a.localeCompare(b));
  const share = new Map(kept.map((r) => [`${r.group}\u0000${r.page}`, r.share]));
  return barChart({
    title: excludePages.length ? `${title}, without ${excludePages.join(", ")}` : title,
    labels: pages,
    series: groups.map((g) => ({ name: g, values: pages.map((p) => share.get(`${g}\u0000${p}`) ?? 0) })),
    valueTitle: "Share of events",
    valueFormat: ".2%",
    horizontal: true,
  });
}
