import '../tfjs-runtime.js';

// The conformance suite as vitest tests; vitest is an optional peer, needed only by this entry.
export { describeUnlearner } from './conformance.js';
export { expectUnlearnError } from './expect-error.js';
