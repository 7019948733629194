import { fixtureDataset, fixtureModel, readFixture as read, type DampeningFixture } from '@unlearn/golden';

export { expectAutoAlpha, expectClose } from '@unlearn/golden';
export type { DampenCase } from '@unlearn/golden';
export type GoldenFixture = DampeningFixture;

export const readFixture = (url: URL): GoldenFixture => read<GoldenFixture>(url);

/** The fixture's architecture (scripts/golden/README.md "Models"), logits out, with its weights. */
export const buildModel = fixtureModel;

/** LF-SSD's fixtures are unlabelled: inputs only. */
export const inputs = (part: GoldenFixture['forget']) => fixtureDataset(part, false);
