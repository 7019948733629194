// @tensorflow/tfjs-core on its own registers no gradient functions in Node (its CommonJS
// bundle leaves them out), so nothing could be differentiated. The @tensorflow/tfjs union
// package registers them (and the cpu backend) in both Node and browsers.
import '@tensorflow/tfjs';
