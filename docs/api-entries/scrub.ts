/**
 * SCRUB: teacher-student min-max distillation, with optional SCRUB+R rewinding.
 *
 * @module @unlearn/scrub
 */
export * from '@unlearn/scrub';
