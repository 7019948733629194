// #region select
import { selectBackend } from '@unlearn/core';

export async function main(prefer?: Parameters<typeof selectBackend>[0]) {
  // Fastest available: tfjs-node (if installed), WebGPU, wasm, then pure-JS cpu.
  const choice = await selectBackend(prefer);
  console.log(`tfjs backend: ${choice.name}`);
  for (const s of choice.skipped) console.log(`  skipped ${s.name}: ${s.reason}`);
  if (choice.suppliedKernels.length) console.log(`  training kernels supplied by @unlearn/core: ${choice.suppliedKernels.join(', ')}`);
  return choice;
}
// #endregion select
