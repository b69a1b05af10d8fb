import { Figure, Trace, axis, baseLayout, groupColor } from "./types";

/** Activity of one group of users on one UTC day. */
export interface DailyActivityRow {
  /** "YYYY-MM-DD" (UTC). */
  day: string;
  group: string;
  events: number;
  /** Users of the group active that day. */
  users: number;
}

/**
 * Lines of daily activity per group (churners against others). `measure` "eventsPerUser" divides
 * by the active users of the group, so groups of different sizes compare.
 */
export function eventsPerDay(rows: DailyActivityRow[], measure: "events" | "eventsPerUser" = "eventsPerUser", title?: string): Figure {
  const groups = [...new Set(rows.map((r) => r.group))].sort();
  const data: Trace[] = groups.map((g, i) => {
    const rs = rows.filter((r) => r.group === g).sort((a, b) => a.day.localeCompare(b.day));
    return {
      type: "scatter",
      mode: "lines",
      name: g,
      x: rs.map((r) => r.day),
      y: rs.map((r) => (measure === "events" ? r.events : r.users > 0 ? r.events / r.users : 0)),
      line: { color: groupColor(g, i), width: 2 },
    };
  });
  return {
    data,
    layout: baseLayout(title ?? (measure === "events" ? "Events per day" : "Events per active user per day"), {
      xaxis: axis("Day (UTC)", { type: "date" }),
      yaxis: axis(measure === "events" ? "Events" : "Events per active user", { rangemode: "tozero" }),
    }),
  };
}
