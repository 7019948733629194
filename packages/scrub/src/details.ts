import type { AsDetails } from '@unlearn/core';
import type { ScrubRun } from './run.js';

/** What a SCRUB run reports as `result.details`: its epochs (`ScrubEpoch`), batches and SCRUB+R's rewind. */
export type ScrubDetails = AsDetails<ScrubRun>;
