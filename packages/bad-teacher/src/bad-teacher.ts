import { defineUnlearner, type Unlearner } from '@unlearn/core';
import type { BadTeacherDetails } from './details.js';
import { BAD_TEACHER_OPTIONS, type BadTeacherOptions } from './options.js';
import { runBadTeacher } from './run.js';

/**
 * Bad Teacher (Chundawat et al., AAAI 2023, arXiv 2205.08096; docs/algorithms/bad-teacher.md):
 * distil the model towards a randomly initialised ("incompetent") teacher on the forget set and
 * towards the original ("competent") model on a random 30% of the retain set. Needs the forget
 * and retain inputs, no labels. Defaults are the reference strategy files' (`reference` preset).
 */
export function badTeacher(options: Partial<BadTeacherOptions> = {}): Unlearner<BadTeacherOptions, BadTeacherDetails> {
  const resolved = BAD_TEACHER_OPTIONS.resolve(options);
  return defineUnlearner({
    name: 'bad-teacher',
    options: resolved,
    needs: { retain: true },
    schema: BAD_TEACHER_OPTIONS,
    // More passes pull the student further towards the incompetent teacher on Df.
    strength: { option: 'epochs', direction: 'increasing', weakest: 1, strongest: 32, factor: 2, integer: true, at: (epochs) => badTeacher({ ...resolved, epochs }) },
    async unlearn(ctx) {
      const run = await runBadTeacher(ctx, resolved);
      return {
        details: {
          forgetExamples: run.forgetExamples,
          retainExamples: run.retainExamples,
          retainSize: run.retainSize,
          reinitializedVariables: run.reinitialized,
          ...run.train,
        },
      };
    },
  });
}
