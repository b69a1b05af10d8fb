import { EVENT_COLUMN_TYPES, EVENT_FIELDS, EVENTS_TABLE } from "../events/schema";
import { ident } from "./quote";

// Lives in sql/ rather than beside the schema because it quotes: events/ sits below sql/ in the layer order.

/** `CREATE TABLE` statement of the cleaned events table (used by the store and by test fixtures). */
export function eventsTableDdl(table: string = EVENTS_TABLE): string {
  const cols = EVENT_FIELDS.map((f) => `  ${ident(f)} ${EVENT_COLUMN_TYPES[f]}`).join(",\n");
  return `CREATE TABLE ${table} (\n${cols}\n)`;
}
