import { InvalidArgumentError, Option, type Command } from "commander";

/** Parses a whole number flag, for commander options. */
export function parseInteger(name: string, min = -Infinity): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a whole number, got "${value}".`);
    const n = Number(value);
    if (n < min) throw new InvalidArgumentError(`${name} must be at least ${min}, got ${n}.`);
    return n;
  };
}

/** Parses a number flag, for commander options. */
export function parseNumber(name: string, min = -Infinity): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got "${value}".`);
    if (n < min) throw new InvalidArgumentError(`${name} must be at least ${min}, got ${n}.`);
    return n;
  };
}

/** Parses an ISO-8601 date or date-time flag into epoch milliseconds (UTC when no zone is given). */
export function parseIsoTime(name: string): (value: string) => number {
  return (value: string) => {
    const v = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
    const t = Date.parse(v);
    if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(t)) throw new InvalidArgumentError(`${name} must be an ISO date such as 2018-11-15 or 2018-11-15T00:00:00Z, got "${value}".`);
    return t;
  };
}

/** Parses one of a fixed set of choices. */
export function parseChoice<T extends string>(name: string, choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`${name} must be one of ${choices.join(", ")}, got "${value}".`);
    return value as T;
  };
}

/** The `--storage` flag of the commands that load events (see LoadOptions.storage). */
export const STORAGE_MODES = ["auto", "memory", "files"] as const;

/** Adds `--storage auto|memory|files` to a command that loads events. */
export function addStorageOption(command: Command): Command {
  return command.addOption(
    new Option("--storage <mode>", "where loaded events live: memory (a DuckDB table), files (read in place, under 1 GB of RAM), auto (files past 512 MiB)")
      .argParser(parseChoice("--storage", STORAGE_MODES))
      .default("auto"),
  );
}
