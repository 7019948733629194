import { CliError } from './exit-codes.js';

/** @unlearn/ssd's importance cache, loaded only by the commands that use it. */
export async function importanceApi() {
  try {
    const [main, node] = await Promise.all([import('@unlearn/ssd'), import('@unlearn/ssd/node')]);
    return {
      computeImportances: main.computeImportances,
      disposeImportances: main.disposeImportances,
      loadImportances: node.loadImportances,
      saveImportances: node.saveImportances,
    };
  } catch (error) {
    throw new CliError('usage', 'MISSING_PACKAGE', `Importance caches need @unlearn/ssd, which failed to load: ${(error as Error).message.split('\n')[0]}`, {
      cause: error,
    });
  }
}
