// The sample's page in headless Chromium (Debian's `chromium`, driven by playwright-core; no
// browser download): it loads, shows the mode and the listener's health, sends through the form,
// and the receipt row for the returned bizId appears from the SSE stream.
//
// Outside CI the test is skipped when chromium is not installed; in CI (CI=true) it always runs,
// so a missing browser fails the build instead of silently skipping.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSampleApp, type SampleAppServer } from './support/sample-app-server.js';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const IN_CI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const skip =
  !IN_CI && !existsSync(CHROMIUM_PATH)
    ? `chromium not found at ${CHROMIUM_PATH} (install it with: apt-get install -y chromium, or set CHROMIUM_PATH); runs in CI`
    : false;

/** Generous: covers the emulator's report delay and a slow CI machine, never a pass/fail criterion. */
const UI_TIMEOUT_MS = 30_000;

describe('sample page in a browser', { skip }, () => {
  let server: SampleAppServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    server = await startSampleApp();
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}/`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the mode and the receipt listener as up', async () => {
    await page.locator('#mode', { hasText: 'EMULATOR' }).waitFor();
    await page.locator('#health', { hasText: 'receipts: up' }).waitFor();
    await page.locator('#stream', { hasText: 'live' }).waitFor();
    assert.equal(await page.locator('#phoneNumber').inputValue(), '13800138000');
  });

  it('sends through the form and shows the receipt row for the returned bizId', async () => {
    await page.fill('#phoneNumber', '13800138201');
    await page.fill('#templateParam', '{"code": "4321"}');
    await page.fill('#outId', 'browser-order-1');
    await page.selectOption('#outcome', 'delivered');
    await page.fill('#reply', '收到');
    await page.click('#send');

    const result = page.locator('#send-result', { hasText: 'Accepted: bizId' });
    await result.waitFor();
    const bizId = await page.locator('#send-result').getAttribute('data-bizid');
    assert.ok(bizId, 'the page kept the bizId of the send');

    const row = page.locator(`#events tr[data-type="report"][data-bizid="${bizId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-source'), 'mns');
    assert.equal(await row.getAttribute('data-status'), 'delivered');
    assert.match((await row.textContent()) ?? '', /browser-order-1/);

    // waitForReport answered the page too, and the simulated reply arrived.
    await page.locator('#send-result', { hasText: 'Report (mns): delivered' }).waitFor();
    await page.locator('#events tr[data-type="reply"]', { hasText: '收到' }).waitFor();
  });

  it('shows which fields are wrong when the server rejects the form', async () => {
    await page.fill('#phoneNumber', '');
    await page.click('#send');
    await page.locator('#send-result', { hasText: 'phoneNumber: is required' }).waitFor();
    assert.match((await page.locator('#send-result').textContent()) ?? '', /^400 Bad Request/);
  });

  it('ran without script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
