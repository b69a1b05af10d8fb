export { SQL_DIALECTS, sqlFor } from "./dialect";
export type { Sql, SqlDialect } from "./dialect";
export { renderFeatureQuery } from "./renderFeatureQuery";
export { restoreColumnCase } from "./restoreColumnCase";
