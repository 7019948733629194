// tfjs-core alone registers no gradient functions in Node (its CommonJS bundle leaves them out),
// so nothing could be differentiated. tfjs-layers, which core needs anyway, registers them in
// both of its builds: its Node bundle carries them, its ES module imports tfjs-core's
// register_all_gradients. Importing it instead of the @tensorflow/tfjs union keeps tfjs-data,
// tfjs-converter and the webgl backend out of a browser app that does not use them
// (scripts/packaging/bundle-size). Backends are the app's choice: see backend/select.ts.
import '@tensorflow/tfjs-layers';
import { watchBackendChoice } from './backend/choice.js';

// From import on, tell a backend someone chose from tfjs's default (unlearn() replaces only the
// default), and supply wasm's training kernels as soon as wasm is present.
watchBackendChoice();
