import type { Command } from "commander";

/** Registers `sparkify-churn notebooks` (being built; see the open issues). */
export function register(program: Command): void {
  void program;
}
