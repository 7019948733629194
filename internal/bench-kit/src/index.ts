export { torchTimings } from './torch.js';
export type { TorchResultKey, TorchTimings } from './torch.js';
export { startTorchRounds } from './torch-rounds.js';
export type { TorchRoundConfig, TorchRoundKey, TorchRounds, ZooTwin } from './torch-rounds.js';
export { writeBenchResults } from './results.js';
