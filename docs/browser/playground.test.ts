import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from './static-server.js';

const dist = fileURLToPath(new URL('../.vitepress/dist/', import.meta.url));
const screenshot = fileURLToPath(new URL('./playground.png', import.meta.url));
// Debian's Chromium by default; CHROMIUM_PATH overrides, and a browser fetched with
// `npx playwright-core install chromium` is used when neither is there.
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : chromium.executablePath());

let server: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(`${dist}playground.html`)) throw new Error('docs/.vitepress/dist has no playground.html: run `npm run docs:build -w @unlearn/docs` first');
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath} (install one, or set CHROMIUM_PATH)`);
  server = await serveStatic(dist);
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const numberIn = async (testId: string) => Number(await page.getByTestId(testId).getAttribute('data-value'));

describe('playground', () => {
  it('loads the model and digits on a backend', async () => {
    await page.goto(`${server.url}/playground`);
    await page.locator('.playground[data-status="ready"]').waitFor({ timeout: 120_000 });
    const backend = (await page.getByTestId('backend').textContent()) ?? '';
    expect(backend).toMatch(/Backend: (webgl|wasm|cpu)/);
    expect(backend).toContain('8000 training and 2000 test digits');
  });

  it('forgets a digit with JiT and SSD: forget accuracy drops, retain accuracy stays high', async () => {
    await page.getByTestId('digit').selectOption('3');
    await page.getByTestId('run-both').click();
    await page.locator('.playground[data-status="done"], .playground[data-status="error"]').waitFor({ timeout: 280_000 });
    expect(await page.locator('.playground').getAttribute('data-status'), ((await page.getByTestId('message').textContent().catch(() => '')) ?? '')).toBe('done');

    // Expected values come from the packages' Node runs of the same model, data and settings
    // on digit 3: JiT preset mnist-cnn 26.2% forget-test / 95.7% retain-test
    // (packages/jit/results/mnist-sweep.md), SSD alpha 5, lambda 0.1: 1.5% / 97.7%
    // (packages/ssd/results/mnist.md). The bounds leave room for backend rounding.
    for (const method of ['jit', 'ssd']) {
      const before = await numberIn(`forget-before-${method}`);
      const after = await numberIn(`forget-after-${method}`);
      expect(before, 'the pretrained model knows the digit').toBeGreaterThan(0.9);
      expect(after, `${method} forget-test accuracy`).toBeLessThan(before);
      expect(await numberIn(`retain-after-${method}`), `${method} retain-test accuracy`).toBeGreaterThan(0.9);
    }
    expect(await numberIn('forget-after-jit')).toBeLessThan(0.5);
    expect(await numberIn('forget-after-ssd')).toBeLessThan(0.1);
    expect(await page.getByTestId('chart').locator('svg rect').count()).toBeGreaterThan(8);
    // The viewport holds the page title, the intro and the whole component.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshot });
    expect(consoleErrors).toEqual([]);
  });
});
