import { spawnSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putOnce } from '../src/content-dir.js';
import { removeDir, tempDir } from './helpers.js';

// A worker killed while writing a result leaves its private `.<key>.part-<host>-<pid>-…` folder.
// The next write on the same machine removes it once that pid is gone; another machine's never.

describe('unfinished writes left in a store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => removeDir(dir));

  it("are removed when their writer on this machine is dead, with a log line; other machines' and live writers' are kept", async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const host = hostname();
    const names = {
      dead: `.${'a'.repeat(64)}.part-${host}-${dead}-0123abcd`,
      // What writeDirAtomically fills for such a folder before renaming it.
      deadTmp: `..${'b'.repeat(64)}.part-${host}-${dead}-89abcdef.tmp-${dead}-1700000000000-x1y2z3`,
      otherHost: `.${'c'.repeat(64)}.part-other-${host}-${dead}-0123abcd`,
      live: `.${'d'.repeat(64)}.part-${host}-${process.pid}-0123abcd`,
    };
    for (const name of Object.values(names)) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'result.json'), '{');
    }
    const log: string[] = [];
    expect(await putOnce(join(dir, 'e'.repeat(64)), (tmp) => writeFile(join(tmp, 'result.json'), '{}'), (m) => log.push(m))).toBe(true);
    expect((await readdir(dir)).sort()).toEqual([names.otherHost, names.live, 'e'.repeat(64)].sort());
    expect(log).toHaveLength(2);
    expect(log.join('\n')).toMatch(new RegExp(`removed .*${names.dead}, left by process ${dead} on this machine`));
  });
});
