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
 * Grouped horizontal bars of each page's share of events per group. NextSong is about 80 % of all
 * events, so `excludePages` (default NextSong) leaves pages out and the shares are renormalised over
 * the pages that remain (each group's bars sum to 100 %), as the title and axis say.
 */
export function pageMix(rows: PageMixRow[], excludePages: string[] = ["NextSong"], title = "Page mix"): Figure {
  const kept = rows.filter((r) => !excludePages.includes(r.page));
  const groups = [...new Set(kept.map((r) => r.group))].sort();
  // Renormalise per group over the remaining pages: from the counts, or from the shares when a row has no count.
  const counted = kept.every((r) => Number.isFinite(r.events) && r.events >= 0);
  const amount = (r: PageMixRow) => (counted ? r.events : r.share);
  const groupTotal = new Map<string, number>();
  for (const r of kept) groupTotal.set(r.group, (groupTotal.get(r.group) ?? 0) + amount(r));
  const share = new Map(kept.map((r) => {
    const t = groupTotal.get(r.group) ?? 0;
    return [`${r.group}\u0000${r.page}`, t > 0 ? amount(r) / t : 0];
  }));
  const total = new Map<string, number>();
  for (const r of kept) total.set(r.page, (total.get(r.page) ?? 0) + (share.get(`${r.group}\u0000${r.page}`) ?? 0));
  const pages = [...total.keys()].sort((a, b) => (total.get(b) as number) - (total.get(a) as number) || a.localeCompare(b));
  const without = excludePages.length ? ` without ${excludePages.join(", ")}` : "";
  return barChart({
    title: `${title}${without}: share of each group's ${excludePages.length ? "other " : ""}events`,
    labels: pages,
    series: groups.map((g) => ({ name: g, values: pages.map((p) => share.get(`${g}\u0000${p}`) ?? 0) })),
    valueTitle: excludePages.length ? `Share of events other than ${excludePages.join(", ")}` : "Share of events",
    valueFormat: ".1%",
    horizontal: true,
  });
}
