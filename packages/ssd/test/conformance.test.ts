import { describeUnlearner } from '@unlearn/core/vitest';
import { ssd } from '../src/index.js';
import { smallTask } from './helpers.js';

describeUnlearner('ssd', {
  create: () => ssd({ alpha: 2, batchSize: 8 }),
  fixture: () => {
    const t = smallTask();
    return { model: t.model, request: { forget: t.forget, train: t.train }, dispose: t.dispose };
  },
});
