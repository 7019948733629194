import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recoverDir, writeDirAtomically } from '../src/node/index.js';

let root: string;
let out: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'unlearn-atomic-'));
  out = join(root, 'out');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const list = async (dir = root) => (await readdir(dir)).sort();
const read = (dir: string) => readFile(join(dir, 'data.txt'), 'utf8');
const write = (dir: string, text: string) => writeDirAtomically(dir, (tmp) => writeFile(join(tmp, 'data.txt'), text));

/** The pid of a process that has exited, as a killed writer's is on the next run. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((done) => child.on('exit', done));
  return child.pid!;
}

/** What a writer's sibling with this pid is called, as writeDirAtomically names them. */
const sibling = (kind: 'tmp' | 'old', pid: number, ms = 1_700_000_000_000) => `.out.${kind}-${pid}-${ms}-k1ll3d`;

async function leave(name: string, text: string): Promise<void> {
  await mkdir(join(root, name));
  await writeFile(join(root, name, 'data.txt'), text);
}

describe('writeDirAtomically under a real SIGKILL at each step of a replacement', () => {
  const child = fileURLToPath(new URL('./fixtures/kill-during-write.ts', import.meta.url));
  async function killedWrite(at: 'fill' | 'swap' | 'cleanup'): Promise<void> {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, out, at], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((done) => proc.on('exit', (_, s) => done(s)));
    expect(signal, stderr).toBe('SIGKILL');
  }

  it('[fault] SIGKILL between the two renames of a folder replacement → nothing at the target, the old folder beside it; the next run restores it, removes the unfinished one and says so', async () => {
    await write(out, 'old');
    await killedWrite('swap');
    // The window of the issue: nothing at `out`, the previous output only in a hidden folder.
    const left = await list();
    expect(left).not.toContain('out');
    const old = left.find((n) => n.startsWith('.out.old-'))!;
    const tmp = left.find((n) => n.startsWith('.out.tmp-'))!;
    expect(left).toEqual([old, tmp].sort());
    expect(await read(join(root, old))).toBe('old');

    const recovery = await recoverDir(out);
    expect(recovery.restoredFrom).toBe(old);
    expect(recovery.removed).toEqual([tmp]);
    expect(recovery.messages.join('\n')).toMatch(/out: restored the previous output from \.out\.old-.*stopped between its two renames/);
    expect(recovery.messages.join('\n')).toMatch(/removed \.out\.tmp-.*unfinished output of a run that was interrupted/);
    expect(await list()).toEqual(['out']);
    expect(await read(out)).toBe('old');
  });

  it('[fault] SIGKILL while a replacement folder is being filled → the old output stays in place; the next write removes the unfinished one and says so', async () => {
    await write(out, 'old');
    await killedWrite('fill');
    const left = await list();
    expect(left).toEqual(['.out.tmp-', 'out'].map((p) => left.find((n) => n.startsWith(p))!));
    expect(await read(out)).toBe('old');

    const said = await write(out, 'next');
    expect(said).toEqual([expect.stringMatching(/out: removed \.out\.tmp-.*unfinished output/)]);
    expect(await list()).toEqual(['out']);
    expect(await read(out)).toBe('next');
  });

  it('[fault] SIGKILL after the swap, before the old folder was deleted → the new output in place; the next run removes the old one and says so', async () => {
    await write(out, 'old');
    await killedWrite('cleanup');
    expect(await read(out)).toBe('new');
    const old = (await list()).find((n) => n.startsWith('.out.old-'))!;
    expect(old).toBeDefined();

    const recovery = await recoverDir(out);
    expect(recovery).toMatchObject({ restoredFrom: null, removed: [old] });
    expect(recovery.messages).toEqual([expect.stringMatching(/removed \.out\.old-.*previous output a run had not finished deleting/)]);
    expect(await list()).toEqual(['out']);
    expect(await read(out)).toBe('new');
  });
});

describe('recoverDir', () => {
  it('the next write restores a replaced output first, so nothing is lost, then replaces it', async () => {
    const pid = await deadPid();
    await leave(sibling('old', pid), 'previous');
    const said = await write(out, 'newer');
    expect(said).toEqual([expect.stringMatching(/restored the previous output from \.out\.old-/)]);
    expect(await list()).toEqual(['out']);
    expect(await read(out)).toBe('newer');
  });

  it('restores the newest of several replaced outputs and removes the rest', async () => {
    const pid = await deadPid();
    await leave(sibling('old', pid, 1_000), 'older');
    await leave(sibling('old', pid, 2_000), 'newest');
    const recovery = await recoverDir(out);
    expect(recovery.restoredFrom).toBe(sibling('old', pid, 2_000));
    expect(recovery.removed).toEqual([sibling('old', pid, 1_000)]);
    expect(await read(out)).toBe('newest');
  });

  it('[data loss] folders beside an output that only look like leftovers (.out.tmp-notes, .outx.tmp-…, .out.bak-…, other case) → never touched by recovery; only true leftovers are removed', async () => {
    const pid = await deadPid();
    const strangers = [`.out.tmp-${pid}-1`, '.out.tmp-notes', `.outx.tmp-${pid}-1-ab`, `out.tmp-${pid}-1-ab`, `.out.bak-${pid}-1-ab`, `.out.old-${pid}-1-AB`];
    for (const name of strangers) await leave(name, 'mine');
    await leave(sibling('tmp', pid), 'stale');
    const recovery = await recoverDir(out);
    expect(recovery).toMatchObject({ restoredFrom: null, removed: [sibling('tmp', pid)] });
    expect(await list()).toEqual(strangers.sort());
  });

  it('leaves the folders of a writer that still runs alone, and says so; a caller holding a lock removes them', async () => {
    const live = process.ppid;
    await leave(sibling('old', live), 'theirs');
    // `out` missing and a live writer's old one beside it: that writer is between its renames.
    let recovery = await recoverDir(out);
    expect(recovery).toMatchObject({ restoredFrom: null, removed: [], leftAlone: [sibling('old', live)] });
    expect(recovery.messages).toEqual([expect.stringMatching(new RegExp(`left \\.out\\.old-.* alone: process ${live}, which wrote it, is still running`))]);
    expect(await list()).toEqual([sibling('old', live)]);

    recovery = await recoverDir(out, { exclusive: true });
    expect(recovery.restoredFrom).toBe(sibling('old', live));
    expect(await read(out)).toBe('theirs');
  });

  it("removes a leftover stamped with this process's own pid (pid reuse, e.g. pid 1 in containers) unless it is a write in flight here", async () => {
    await leave(sibling('tmp', process.pid), 'earlier life');
    await write(out, 'now');
    expect(await list()).toEqual(['out']);

    // A recovery running while this process writes the same folder keeps that write's folder.
    await writeDirAtomically(out, async (tmp) => {
      await writeFile(join(tmp, 'data.txt'), 'in flight');
      const recovery = await recoverDir(out, { exclusive: true });
      expect(recovery.removed).toEqual([]);
      expect(await read(tmp)).toBe('in flight');
    });
    expect(await read(out)).toBe('in flight');
  });

  it('a write nested in the temporary folder of another (a model saved into an output) leaves no siblings of its own', async () => {
    await writeDirAtomically(out, async (tmp) => {
      await writeFile(join(tmp, 'stale.txt'), 'replaced by the nested write');
      await writeDirAtomically(tmp, (inner) => writeFile(join(inner, 'data.txt'), 'nested'));
      expect((await list()).map((n) => n.replace(/-\d+-\d+-[0-9a-z]+$/, ''))).toEqual(['.out.tmp']);
    });
    expect(await list(out)).toEqual(['data.txt']);
    expect(await read(out)).toBe('nested');
  });

  it('has nothing to do when the parent folder does not exist', async () => {
    expect(await recoverDir(join(root, 'missing', 'out'))).toEqual({ restoredFrom: null, removed: [], leftAlone: [], messages: [] });
  });
});
