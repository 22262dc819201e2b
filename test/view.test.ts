/**
 * `mfnpe view trace` in headless Chromium: the served page must render the LF, MF and HF traces as SVG
 * paths, and zooming must work. Needs Chromium (Debian: apt-get install chromium; or
 * MFNPE_CHROMIUM=/path/to/chrome); skipped, with the reason printed, when none is found.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = [process.env.MFNPE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
const chromiumPath = CANDIDATES.find((p) => existsSync(p));

type Page = import('playwright-core').Page;

/**
 * Starts `mfnpe view ARGS --no-open`, waits for the address it serves, opens it in headless
 * Chromium, waits until the page reports ready (and without an error), runs `check`, then closes
 * the browser and stops the server.
 */
async function withViewPage(args: string[], check: (page: Page) => Promise<void>): Promise<void> {
  const { chromium } = await import('playwright-core');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'view', ...args, '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
        if (m) resolve(m[1]);
      });
      child.on('exit', (c) => reject(new Error(`view exited with ${c}: ${out}`)));
      setTimeout(() => reject(new Error(`no address after 60 s: ${out}`)), 60_000).unref();
    });
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
      assert.equal(await page.getAttribute('body', 'data-ready'), '1', (await page.textContent('#error')) ?? '');
      await check(page);
    } finally {
      await browser.close();
    }
  } finally {
    child.kill('SIGTERM');
  }
}

test('view: bad input is one line and exit code 2', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'view', 'trace', '--theta', '120,36', '--no-open'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 2);
  assert.equal(err.trim().split('\n').length, 1, err);
  assert.match(err, /needs 3 comma-separated values/);
});

test('view trace renders LF, MF and HF traces in headless Chromium and zooms', {
  skip: chromiumPath ? false : 'no Chromium found (apt-get install chromium)',
  timeout: 120_000,
}, async () => {
  await withViewPage(['trace', '--theta', '120,36,0.3', '--seed', '3'], async (page) => {
    // Three line marks (LF, MF, HF), each a path through thousands of points; a legend naming them.
    const lines = page.locator('#view svg path[aria-roledescription="line mark"]');
    assert.equal(await lines.count(), 3);
    const before = await lines.first().getAttribute('d');
    assert.ok(before && before.split(/[LM]/).length > 4000, `path has ${before?.split(/[LM]/).length} points`);
    const text = (await page.locator('#view svg').textContent()) ?? '';
    assert.match(text, /LF \(gates \+ noise\)/);
    assert.match(text, /MF \(Langevin channels\)/);
    assert.match(text, /HF \(Markov channels\)/);
    // Wheel-zoom over the plot changes the drawn path (the scales are bound to the selection).
    const box = (await page.locator('#view svg').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -600);
    await page.waitForTimeout(300);
    const after = await lines.first().getAttribute('d');
    assert.notEqual(after, before, 'zooming did not change the plot');
  });
});

test('view file renders the columns of a CSV as a zoomable scatter plot', {
  skip: chromiumPath ? false : 'no Chromium found (apt-get install chromium)',
  timeout: 120_000,
}, async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const file = join(mkdtempSync(join(tmpdir(), 'mfnpe-view-')), 'sims.csv');
  writeFileSync(file, 'g_na,mean_stim\n' + Array.from({ length: 50 }, (_, i) => `${50 + 3 * i},${-60 + i / 5}`).join('\n') + '\n');
  await withViewPage(['file', file, '--x', 'g_na', '--y', 'mean_stim'], async (page) => {
    assert.equal(await page.locator('#view svg path[aria-roledescription="circle"]').count(), 50);
  });
});
