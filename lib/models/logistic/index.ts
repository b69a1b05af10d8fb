export { LogisticRegression, type LogisticRegressionOptions } from "./LogisticRegression";
