/**
 * Real-data results: the pretrained MNIST CNN (internal/mnist) forgets one digit with Bad Teacher, at the
 * reference setting and at 4 epochs (the strength knob), on wasm. Writes results/mnist.{json,md}.
 * Run: node --conditions=@unlearn/source --import tsx packages/bad-teacher/scripts/mnist.ts
 * Env: DIGIT (default 3), SEED (default 0).
 */
import { digitReport } from '@unlearn/mnist-fixture';
import { badTeacher } from '../src/index.js';

const keep = (d: Record<string, unknown>) => ({ retainExamples: d.retainExamples, history: d.history });
console.log(
  await digitReport({
    title: 'Bad Teacher',
    retainLabels: false,
    runs: [
      { label: 'reference (1 epoch, Adam 1e-4)', method: badTeacher(), keep },
      { label: 'epochs 4', method: badTeacher({ epochs: 4 }), keep },
    ],
    resultsDir: new URL('../results/', import.meta.url),
    digit: Number(process.env.DIGIT ?? 3),
    seed: Number(process.env.SEED ?? 0),
  }),
);
