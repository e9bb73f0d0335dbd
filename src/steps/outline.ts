/**
 * The lab's outline: each step's id, title and chapter, in order, and which sam-app/ files each
 * edit step's reference change touches. What `list` shows and what a step named on the command
 * line (`start --from`, `step`, `reset`) is checked against, without loading the steps' code:
 * src/steps/index.ts loads every step and, through them, the SDK's clients (about 0.6 s of CPU
 * before `list` printed a line). It imports nothing, so it stays cheap; test/steps/outline.test.ts
 * checks that it says what the steps themselves say (LAB_STEPS).
 */
import type { ReferenceEntry } from '../lab/reference.js';
import type { Chapter } from '../lab/step.js';

export interface StepOutline {
  id: string;
  title: string;
  chapter: Chapter;
}

const deploy: Chapter = { id: 'deploy', title: 'Deploy app version 1' };
const blueGreen: Chapter = { id: 'blue-green', title: 'Blue/green deployments', section: '4.1' };
const hooks: Chapter = { id: 'hooks-alarms', title: 'Hooks and alarms', section: '4.1.3' };
export const CANARY_CHAPTER: Chapter = { id: 'canary', title: 'API Gateway canary release', section: '4.2' };
const concurrency: Chapter = { id: 'concurrency', title: 'Reserved concurrency', section: '4.3' };
const wrapUp: Chapter = { id: 'wrap-up', title: 'Wrap-up' };

// the workshop's order: 4.1 blue/green, 4.1.3 hooks and alarms, 4.2 canary, 4.3 concurrency
export const LAB_OUTLINE: readonly StepOutline[] = [
  { id: 'deploy', title: 'deploy the app and call it', chapter: deploy },
  { id: 'blue-green', title: 'shift traffic to app version 2, 10 % a minute', chapter: blueGreen },
  { id: 'hooks-failing', title: 'a PreTraffic hook that says no', chapter: hooks },
  { id: 'hooks-alarm', title: 'an alarm mid-shift rolls back', chapter: hooks },
  { id: 'hooks-errors', title: 'a version that throws rolls itself back', chapter: hooks },
  { id: 'canary-stage-variable', title: 'call the function through a stage variable', chapter: CANARY_CHAPTER },
  { id: 'canary-create', title: "send 10 % of the stage's requests to a canary", chapter: CANARY_CHAPTER },
  { id: 'canary-rollback', title: 'roll the canary back', chapter: CANARY_CHAPTER },
  { id: 'canary-promote', title: 'promote the canary', chapter: CANARY_CHAPTER },
  { id: 'concurrency-baseline', title: 'load test with no limit', chapter: concurrency },
  { id: 'concurrency-reserve', title: 'reserve 25 executions', chapter: concurrency },
  { id: 'concurrency-throttled', title: 'the same load test, now throttled', chapter: concurrency },
  { id: 'concurrency-restore', title: 'give the reservation back', chapter: concurrency },
  { id: 'wrap-up', title: 'what you built, and what next', chapter: wrapUp },
];

/** which sam-app/ files each edit step's reference change touches, in lab order */
export const REFERENCE_ORDER: readonly ReferenceEntry[] = [
  { stepId: 'blue-green', files: ['template.yaml', 'src/app.mjs'] },
  { stepId: 'hooks-failing', files: ['template.yaml', 'src/app.mjs', 'hooks/pre-traffic.mjs'] },
  { stepId: 'hooks-alarm', files: ['template.yaml'] },
  { stepId: 'hooks-errors', files: ['src/app.mjs'] },
];

/** a step by its id, or a chapter's first step by the chapter's id */
export function findInOutline(id: string): StepOutline | undefined {
  return LAB_OUTLINE.find((s) => s.id === id || s.chapter.id === id);
}
