// Tests may use tfjs's chained ops (`x.mul(y)`), which only the @tensorflow/tfjs union registers.
// @unlearn/core no longer imports the union (it would put webgl, tfjs-data and tfjs-converter in
// every browser app), so the tests load it here, as most apps do.
import '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '@unlearn/core';

// Every suite runs on the pure-JS cpu backend by default (deterministic, no native code).
// UNLEARN_TEST_BACKEND=wasm runs the same suites against wasm and its supplied kernels.
const backend = (process.env.UNLEARN_TEST_BACKEND ?? 'cpu') as BackendName;
await selectBackend({ backend });
