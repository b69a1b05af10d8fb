import type { NbCell } from "./nbTestUtil";

const PLOTLY = "application/vnd.plotly.v1+json";

/** One output reduced to what two kernels must agree on. */
export interface OutputSummary {
  kind: "figure" | "table" | "markdown" | "text" | "error";
  /** The figure's title, the table's or markdown's text, a stream's or value's text. */
  text: string;
}

/** Removes ANSI colour codes (Deno colours its text/plain values). */
export function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, "");
}

function joined(v: unknown): string {
  return Array.isArray(v) ? v.join("") : String(v ?? "");
}

/**
 * A code cell's outputs as kernels should agree on them: figures by title, tables and Markdown by
 * their text, stdout and last-expression values as text (tslab prints a cell's value on stdout,
 * Deno sends it as execute_result; a string value is quoted by Deno), adjacent text merged.
 */
export function summarizeOutputs(cell: NbCell): OutputSummary[] {
  const out: OutputSummary[] = [];
  for (const o of cell.outputs ?? []) {
    if (o.output_type === "error") out.push({ kind: "error", text: `${o.ename}: ${o.evalue}` });
    else if (o.output_type === "stream") {
      if (o.name === "stdout") out.push({ kind: "text", text: joined(o.text) });
    } else if (o.data?.[PLOTLY]) {
      const t = (o.data[PLOTLY] as { layout?: { title?: { text?: string } | string } }).layout?.title;
      out.push({ kind: "figure", text: typeof t === "string" ? t : t?.text ?? "" });
    } else if (o.data?.["text/html"]) out.push({ kind: "table", text: joined(o.data["text/plain"]) });
    else if (o.data?.["text/markdown"]) out.push({ kind: "markdown", text: joined(o.data["text/markdown"]) });
    else out.push({ kind: "text", text: stripAnsi(joined(o.data?.["text/plain"])).replace(/^"(.*)"$/s, "$1") + (o.output_type === "execute_result" ? "\n" : "") });
  }
  // Merge adjacent text pieces (streams arrive in chunks of any size).
  return out.reduce<OutputSummary[]>((acc, o) => {
    const last = acc[acc.length - 1];
    if (last && last.kind === "text" && o.kind === "text") last.text += o.text;
    else acc.push({ ...o });
    return acc;
  }, []);
}

/**
 * Compares two texts token by token: words equal, numbers equal within `rel` relative or `abs`
 * absolute difference (display rounding and floating-point sums may differ in the last digit).
 * Returns null when they agree, else a description of the first difference.
 */
export function compareText(a: string, b: string, rel = 0.01, abs = 0.002): string | null {
  const tokens = (s: string) => s.split(/(-?\d+(?:\.\d+)?(?:e-?\d+)?)/).filter((t) => t.trim() !== "").map((t) => t.replace(/\s+/g, " ").trim());
  const ta = tokens(a);
  const tb = tokens(b);
  if (ta.length !== tb.length) return `${ta.length} tokens against ${tb.length}:\n${a.slice(0, 400)}\n---\n${b.slice(0, 400)}`;
  for (let i = 0; i < ta.length; i++) {
    const x = Number(ta[i]);
    const y = Number(tb[i]);
    if (ta[i] !== "" && !Number.isNaN(x) && !Number.isNaN(y) && /\d/.test(ta[i]) && /\d/.test(tb[i])) {
      if (Math.abs(x - y) > Math.max(abs, rel * Math.max(Math.abs(x), Math.abs(y)))) return `number ${ta[i]} against ${tb[i]} (token ${i}) in:\n${a.slice(0, 300)}`;
    } else if (ta[i] !== tb[i]) return `"${ta[i]}" against "${tb[i]}" (token ${i}) in:\n${a.slice(0, 300)}`;
  }
  return null;
}
