/**
 * Bad Teacher: distillation from an incompetent (randomly initialised) and a competent teacher.
 *
 * @module @unlearn/bad-teacher
 */
export * from '@unlearn/bad-teacher';
