import type { Command } from "commander";

/** Registers `sparkify-churn simulate` (being built; see the open issues). */
export function register(program: Command): void {
  void program;
}
