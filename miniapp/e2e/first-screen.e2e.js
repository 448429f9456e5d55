// How fast the first screen shows on loopback: navigation start to the login
// screen painted, over several loads (goal: median ≤ 1.5 s). Writes the figures
// to e2e/screenshots/first-screen.json next to the screenshots.
const fs = require('node:fs');
const path = require('node:path');
const { startServer, frontFor, launchBrowser, assertNoCspViolations, a11yRecorder } = require('./harness');

const LOADS = 7;
const GOAL_MS = 1500;

let server;
let front;
let browser;

beforeAll(async () => {
  server = await startServer();
  front = await frontFor(server);
  browser = await launchBrowser();
});

const a11y = a11yRecorder('first-screen');

afterAll(async () => {
  a11y.write();
  await browser?.close();
  await front?.stop();
  await server?.stop();
});

// Records when the login screen first gets painted: the frame after it enters the DOM.
function watchFirstScreen() {
  new MutationObserver((_, obs) => {
    if (document.querySelector('.xy-login')) {
      obs.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => (window.__firstScreen = performance.now())));
    }
  }).observe(document, { subtree: true, childList: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test(`the login screen shows within ${GOAL_MS} ms (median of ${LOADS} loads)`, async () => {
  const runs = [];
  for (let i = 0; i < LOADS; i++) {
    const page = await browser.context.newPage();
    await page.addInitScript(watchFirstScreen);
    await page.goto(`${front.base}/?load=${i}`);
    await page.waitForFunction(() => window.__firstScreen !== undefined, null, { timeout: 15000 });
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { firstScreen: window.__firstScreen, fcp: fcp ? fcp.startTime : null, domContentLoaded: nav.domContentLoadedEventEnd, transferKB: performance.getEntriesByType('resource').reduce((s, r) => s + (r.transferSize || 0), nav.transferSize || 0) / 1024 };
    });
    runs.push(t);
    await page.evaluate(() => localStorage.clear());
    await page.close();
  }
  const figures = {
    loads: LOADS,
    coldFirstScreenMs: Math.round(runs[0].firstScreen),
    medianFirstScreenMs: Math.round(median(runs.map((r) => r.firstScreen))),
    medianFcpMs: Math.round(median(runs.map((r) => r.fcp ?? r.firstScreen))),
    medianDomContentLoadedMs: Math.round(median(runs.map((r) => r.domContentLoaded))),
    coldTransferKB: Math.round(runs[0].transferKB),
    goalMs: GOAL_MS,
    servedBy: front.servedByServer ? 'server' : 'e2e front',
  };
  fs.mkdirSync(path.join(__dirname, 'screenshots'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'screenshots', 'first-screen.json'), JSON.stringify(figures, null, 2) + '\n');
  process.stdout.write(`H5 first screen on loopback: ${JSON.stringify(figures)}\n`);
  expect(runs.every((r) => r.firstScreen > 0)).toBe(true);
  assertNoCspViolations(browser.csp, 'while loading the first screen');
  expect(figures.medianFirstScreenMs).toBeLessThanOrEqual(GOAL_MS);
});

test('the login screen has no serious or critical accessibility violation', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${front.base}/?a11y=1`);
  await page.getByRole('button', { name: '居民 · 王秀兰' }).waitFor();
  await a11y.check(page, 'login');
  await page.close();
});
