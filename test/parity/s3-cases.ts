import type { ParityCase } from './case.js';
export const s3Cases: ParityCase[] = [];
