export { SQL_DIALECTS, sqlFor } from "./dialect";
export type { Sql, SqlDialect } from "./dialect";
export { restoreColumnCase } from "./restoreColumnCase";
export { ident, literal } from "./quote";
export { eventsTableDdl } from "./eventsTableDdl";
export { timeRangeQuery } from "./timeRangeQuery";
