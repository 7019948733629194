import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readImageFolder } from '../src/index.js';
import { removeDir, tempDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir('unlearn-png-');
});
afterEach(async () => {
  await removeDir(dir);
});

function png(width: number, height: number): Buffer {
  const img = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) img.data.set([i * 10, 0, 0, 255], i * 4);
  return PNG.sync.write(img);
}

describe('damaged PNG files', () => {
  it('[bad input] a PNG cut short (in the header, a header chunk, the image data or the last chunk) → CORRUPT_FILE saying the PNG is truncated and where it ends, not the decoder\'s internal message', async () => {
    const bytes = png(4, 4);
    // Cut inside the last chunk (IEND), inside the image data, inside the header chunk, and in the header itself.
    for (const cut of [bytes.length - 1, bytes.length - 20, 40, 20]) {
      await writeFile(join(dir, 'cut.png'), bytes.subarray(0, cut));
      const error = (await readImageFolder(dir, [4, 4, 1]).catch((e: unknown) => e)) as Error;
      expect(error).toMatchObject({ code: 'CORRUPT_FILE' });
      expect(error.message, `cut at ${cut}`).toMatch(new RegExp(`Cannot decode image .*cut\\.png: the PNG is truncated: it ends at byte ${cut}`));
      expect(error.message).not.toMatch(/waitng|read requests/);
    }
  });

  it('[bad input] a .png file without the PNG signature → an error saying it is not a PNG file', async () => {
    await writeFile(join(dir, 'short.png'), png(2, 2).subarray(0, 5));
    await expect(readImageFolder(dir, [2, 2, 1])).rejects.toThrow(/short\.png: not a PNG file \(no PNG signature\)/);
  });

  it('still decode an intact PNG', async () => {
    await writeFile(join(dir, 'ok.png'), png(2, 2));
    const { array } = await readImageFolder(dir, [2, 2, 1]);
    expect(array.shape).toEqual([1, 2, 2, 1]);
  });
});
