import { selectBackend, type BackendName } from '@unlearn/core';

// Every suite runs on the pure-JS cpu backend by default (deterministic, no native code).
// UNLEARN_TEST_BACKEND=wasm runs the same suites against wasm and its supplied kernels.
const backend = (process.env.UNLEARN_TEST_BACKEND ?? 'cpu') as BackendName;
await selectBackend({ backend });
