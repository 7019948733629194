import { registerUnlearner } from '@unlearn/core';
import { badTeacher } from './bad-teacher.js';
import type { BadTeacherDetails } from './details.js';
import { BAD_TEACHER_OPTIONS, type BadTeacherOptions } from './options.js';

export { badTeacher } from './bad-teacher.js';
export { BAD_TEACHER_OPTIONS, BAD_TEACHER_PRESETS, DEFAULT_BAD_TEACHER_OPTIONS } from './options.js';
export type { BadTeacherOptions } from './options.js';
export type { BadTeacherDetails } from './details.js';

declare module '@unlearn/core' {
  interface UnlearnerRegistry {
    'bad-teacher': BadTeacherOptions;
  }
  interface UnlearnerDetailsRegistry {
    'bad-teacher': BadTeacherDetails;
  }
}

registerUnlearner('bad-teacher', badTeacher, {
  description: 'Bad Teacher: distil towards a randomly initialised teacher on the forget set and the original model on part of the retain set',
  schema: BAD_TEACHER_OPTIONS,
  source: '@unlearn/bad-teacher',
});
