// #region registry
import { createUnlearner, registeredUnlearners, unlearn, type ForgetRequest, type UnlearnableModel, type Unlearner } from '@unlearn/core';
// Importing a method package registers its methods.
import '@unlearn/jit';
import '@unlearn/ssd';

export async function main<M extends UnlearnableModel>(model: M, request: ForgetRequest, name: 'jit' | 'ssd' = 'jit') {
  for (const m of registeredUnlearners()) console.log(`${m.name} (${m.source}): ${m.description}`);
  // Options are typed by name: createUnlearner('ssd', { alpha: 5 }) checks alpha is a number.
  const method: Unlearner = name === 'jit' ? createUnlearner('jit', { nSamples: 10 }) : createUnlearner('ssd', { alpha: 5 });
  return unlearn(model, request, method);
}
// #endregion registry
