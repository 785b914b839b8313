// Help in a crisis: the crisis-line directory shipped with the app (docs/crisis-help.md).
export type * from './CrisisLine.js';
export { CRISIS_LINES } from './crisisLines.js';
export * from './crisisDirectory.js';
