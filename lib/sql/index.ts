export { SQL_DIALECTS, sqlFor } from "./dialect";
export type { Sql, SqlDialect } from "./dialect";
export { resultColumnKey } from "./resultColumnKey";
export { ident, literal } from "./quote";
export { eventsTableDdl } from "./eventsTableDdl";
export { timeRangeQuery } from "./timeRangeQuery";
