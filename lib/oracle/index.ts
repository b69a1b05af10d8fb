export { oracleScores, type OracleOptions, type OracleRow } from "./oracle";
