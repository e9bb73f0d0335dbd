import type { ParityCase } from './case.js';
export const apiGatewayCases: ParityCase[] = [];
