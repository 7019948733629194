import { invalidOption } from '@unlearn/core';
import { fullClass, randomSamples } from '@unlearn/eval';
import type { Scenario } from '@unlearn/eval';
import type { ScenarioSpec } from './spec.js';

/** The @unlearn/eval scenario a job names; each worker rebuilds it from the description. */
export function toScenario(spec: ScenarioSpec): Scenario {
  if (spec.kind === 'full-class') return fullClass(spec.class);
  if (spec.kind === 'random') return randomSamples('count' in spec ? spec.count : { fraction: spec.fraction }, spec.seed);
  throw invalidOption('jobs', 'scenario', 'full-class or random (the scenarios a job description can name)', spec);
}
