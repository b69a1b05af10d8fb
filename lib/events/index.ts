export * from "./schema";
export * from "./sparkExport";
