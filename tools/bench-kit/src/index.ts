export { torchTimings } from './torch.js';
export type { TorchResultKey, TorchTimings } from './torch.js';
