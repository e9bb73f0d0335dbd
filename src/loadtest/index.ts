/** The load test's programmatic API, for the CLI command and for lab steps. */
export { runLoadTest, LOST_RESPONSE, DURATION_MAX_REQUESTS } from './run.js';
export { summarize, PERCENTILES, type LoadTestSummary, type HistogramBucket } from './summarize.js';
export { formatReport, renderSummary, formatJson, formatCsv, type FormatOptions } from './format.js';
export { parseFlags, checkOptions, parseDuration, type LoadTestFlags, type OutputKind } from './flags.js';
export { progressListeners, progressLine, stoppingLine } from './progress.js';
export { colorEnabled, progressEnabled } from '../io/terminal.js';
export type { LoadTestOptions, LoadTestResult, LoadTestListeners, LoadTestProgress, LoadTestSamples } from './types.js';
