// End-to-end harness: a real server on a fresh SQLite database with the demo
// city, the H5 build in front of it, and Debian's Chromium through playwright-core.
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const MINIAPP = path.resolve(__dirname, '..');
const ROOT = path.resolve(MINIAPP, '..');
const SERVER = path.join(ROOT, 'server');
const H5_DIR = path.join(MINIAPP, 'dist', 'h5');
const JWT_SECRET = 'e2e-secret-for-the-miniapp-tests-0123456789';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor(url, ms = 30000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = new Error(`HTTP ${r.status}`);
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up: ${last}`);
}

/** Starts the built server (server/dist) on a fresh data dir. */
async function startServer(extraEnv = {}) {
  const main = path.join(SERVER, 'dist', 'main.js');
  if (!fs.existsSync(main)) throw new Error('server/dist/main.js is missing: build the server first (see scripts/e2e.js)');
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinyuan-e2e-'));
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    AUTH_DEV_LOGIN: 'true',
    JWT_SECRET,
    // Personal information is sealed at rest: a fresh key ring for each throwaway server.
    PII_KEYS: `e2e:${crypto.randomBytes(32).toString('base64')}`,
    PII_HASH_KEY: crypto.randomBytes(32).toString('base64'),
    DISPATCH_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    NOTIFY_INTERVAL_MS: '300',
    ...extraEnv,
  };
  const child = spawn(process.execPath, [main], { cwd: SERVER, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${base}/api/health`);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${output}`);
  }
  return {
    base,
    dataDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            r();
          }, 5000);
          child.on('exit', () => {
            clearTimeout(t);
            r();
          });
        });
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'application/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json' };

/**
 * The page and the API on one origin. When the server serves the H5 build at
 * "/" itself, that is used as it is; otherwise a small front serves dist/h5
 * and passes /api on to the server, as a deployment's reverse proxy would.
 */
async function frontFor(server) {
  try {
    const r = await fetch(`${server.base}/`);
    const body = await r.text();
    if (r.ok && body.includes('<div id="app">')) return { base: server.base, stop: async () => undefined, servedByServer: true };
  } catch {
    /* fall through to the local front */
  }
  const api = new URL(server.base);
  const front = http.createServer((req, res) => {
    if (req.url.startsWith('/api/')) {
      const up = http.request({ host: api.hostname, port: api.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode, r.headers);
        r.pipe(res);
      });
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(up);
      return;
    }
    const url = decodeURIComponent(req.url.split('?')[0]);
    let file = path.join(H5_DIR, url === '/' ? 'index.html' : url);
    if (!file.startsWith(H5_DIR) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(H5_DIR, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  const port = await freePort();
  await new Promise((r) => front.listen(port, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${port}`, stop: () => new Promise((r) => front.close(() => r())), servedByServer: false };
}

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** A console message Chromium writes when the page's Content-Security-Policy blocked something. */
const CSP_CONSOLE = /Content[ -]Security[ -]Policy/i;

/**
 * Collects every Content-Security-Policy violation in the context's pages: the
 * `securitypolicyviolation` events (reported through a binding, so nothing is lost
 * on navigation) and Chromium's console errors about the policy.
 */
async function watchCsp(context) {
  const seen = [];
  await context.exposeBinding('__xyCspViolation', (_source, v) => {
    seen.push(`${v.directive} blocked ${v.blocked || '(inline)'}${v.source ? ` at ${v.source}:${v.line}` : ''}${v.sample ? ` "${v.sample}"` : ''} on ${v.page}`);
  });
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        window.__xyCspViolation({ directive: e.effectiveDirective || e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample, page: location.href });
      },
      true,
    );
  });
  const onConsole = (msg) => {
    if (msg.type() === 'error' && CSP_CONSOLE.test(msg.text())) seen.push(`console: ${msg.text()}`);
  };
  context.on('console', onConsole);
  return {
    /** The violations so far, and forget them. */
    take() {
      return seen.splice(0, seen.length);
    },
  };
}

/** Throws when the page broke its Content-Security-Policy (the harness fails the test with it). */
function assertNoCspViolations(csp, when) {
  const v = [...new Set(csp.take())];
  if (v.length) throw new Error(`Content-Security-Policy violations ${when}:\n  ${v.join('\n  ')}`);
}

async function launchBrowser() {
  const { chromium } = require('playwright-core');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xinyuan-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const csp = await watchCsp(context);
  return {
    context,
    csp,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A bearer token the server rejects as TOKEN_EXPIRED: same secret, exp in the past. */
function expiredToken(userId) {
  const jwt = require('jsonwebtoken');
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ sub: String(userId), iat: now - 7200, exp: now - 3600 }, JWT_SECRET, { algorithm: 'HS256' });
}

/** Direct API calls for set-up steps the mini-program does not offer (staff review). */
async function api(base, method, p, { token, body } = {}) {
  const r = await fetch(`${base}/api${p}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await r.json().catch(() => null);
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(data)}`);
  return data;
}

async function devLogin(base, openid) {
  return api(base, 'POST', '/auth/dev-login', { body: { openid } });
}

/** A demo person signed in through the dev login: a call (method, path, body) with their token, carrying `.token` and `.user`. */
async function signedIn(base, openid) {
  const { token, user } = await devLogin(base, openid);
  return Object.assign((method, p, body) => api(base, method, p, { token, body }), { token, user });
}

const SHOTS = path.join(__dirname, 'screenshots');

/**
 * Accessibility: axe-core run inside the page. `checkA11y` injects axe (once per
 * document) and runs its default rules (WCAG 2.x A/AA and best practice) on what
 * is shown; hidden pages of Taro's stack are skipped by axe itself.
 * Returns the violations with their impact, and the count per impact.
 */
const AXE_FILE = require.resolve('axe-core/axe.min.js');
let axeSource;
const IMPACTS = ['critical', 'serious', 'moderate', 'minor'];
const BLOCKING = ['critical', 'serious'];

async function checkA11y(page) {
  // Not page.addScriptTag: that adds an inline <script>, which the page's Content-Security-Policy
  // (script-src 'self') rightly blocks and the harness would report. Evaluating the source through
  // the DevTools protocol is not subject to the policy.
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    axeSource ??= fs.readFileSync(AXE_FILE, 'utf8');
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5), count: v.nodes.length }));
  });
  const counts = Object.fromEntries(IMPACTS.map((i) => [i, result.filter((v) => v.impact === i).length]));
  return { violations: result, counts };
}

/**
 * One journey's accessibility record: every page checked, counts per impact summed
 * over the pages, and the rules seen. Written to e2e/screenshots/a11y-<name>.json.
 * XY_A11Y_RECORD_ONLY=1 records without failing (how the "before" figures were taken).
 */
function a11yRecorder(name) {
  const pages = [];
  return {
    pages,
    async check(page, label) {
      const { violations, counts } = await checkA11y(page);
      pages.push({ page: label, counts, rules: violations.map((v) => `${v.impact} ${v.id} (${v.count}): ${v.nodes.join(' | ')}`) });
      const blocking = violations.filter((v) => BLOCKING.includes(v.impact));
      if (blocking.length && process.env.XY_A11Y_RECORD_ONLY !== '1') {
        throw new Error(`accessibility: ${blocking.length} serious or critical violation(s) on "${label}":\n  ${blocking.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.join(' | ')}`).join('\n  ')}`);
      }
      return { violations, counts };
    },
    summary() {
      const total = Object.fromEntries(IMPACTS.map((i) => [i, pages.reduce((n, p) => n + p.counts[i], 0)]));
      const rules = {};
      for (const p of pages) for (const r of p.rules) {
        const [impact, id] = r.split(' ');
        rules[`${impact} ${id}`] = (rules[`${impact} ${id}`] ?? 0) + 1;
      }
      return { journey: name, pagesChecked: pages.length, violationsPerImpact: total, rulesByPagesViolating: rules, pages };
    },
    write() {
      if (!pages.length) return;
      fs.mkdirSync(SHOTS, { recursive: true });
      const file = path.join(SHOTS, `a11y-${name}${process.env.XY_A11Y_RECORD_ONLY === '1' ? '-record' : ''}.json`);
      const s = this.summary();
      fs.writeFileSync(file, JSON.stringify(s, null, 2) + '\n');
      process.stdout.write(`a11y ${name}: ${s.pagesChecked} pages, violations per impact ${JSON.stringify(s.violationsPerImpact)}\n`);
    },
  };
}

/**
 * Accessibility checks one after another, in the background of the test: `add` queues a check,
 * `settle` waits for the queue and hands back (and forgets) the serious or critical findings.
 */
function checkQueue() {
  let queue = Promise.resolve();
  const blocking = [];
  return {
    add(run) {
      queue = queue.then(run).catch((e) => {
        blocking.push(e.message);
      });
    },
    /** Runs `fn` in turn (after the queued checks) and hands back its result or its error. */
    run(fn) {
      const done = queue.then(fn);
      queue = done.catch(() => undefined);
      return done;
    },
    async settle() {
      await queue;
      return blocking.splice(0, blocking.length);
    },
  };
}

/** What a check is called: the route (hash path without the query), or the dialog's name. */
function routeOf(url) {
  const hash = new URL(url).hash.replace(/^#/, '').split('?')[0];
  return hash || '/ (first page)';
}

const SETTLE_MS = 700;

/**
 * Every page a journey visits is checked, not only those it takes a screenshot of: each route
 * change of the H5 router (Playwright reports the router's history pushes as navigations of the
 * main frame) and each dialog that opens (ours, role dialog or alertdialog) queues an axe run on
 * what is shown once the page has settled. Runs are serial; a run the page navigated away from
 * in the middle (a reload) is run again on what is shown then.
 */
async function watchA11y(page, a11y, pageChecks) {
  // label(): what is shown when the run starts (the route may have moved on while settling).
  const checkNow = async (label) => {
    await page.waitForTimeout(SETTLE_MS);
    for (let attempt = 0; ; attempt++) {
      try {
        await page.waitForLoadState('load');
        const name = await label();
        if (name) await a11y.check(page, name);
        return;
      } catch (e) {
        if (attempt < 2 && /Execution context was destroyed|navigation|Target closed|frame was detached/i.test(e.message)) continue;
        if (/Target (page, context or browser )?(has been )?closed/i.test(e.message)) return;
        throw e;
      }
    }
  };
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return;
    pageChecks.add(() => checkNow(async () => `route ${routeOf(page.url())}`));
  });
  // A dialog answered before its run comes is not checked here: journeys answer our dialogs through
  // s.answerDialog, which checks the dialog while it is open.
  await page.exposeBinding('__xyDialogOpened', (_source, name) => {
    pageChecks.add(() => checkNow(async () => ((await page.locator('[role="alertdialog"]:visible, [role="dialog"]:visible').count()) ? `dialog ${name}` : null)));
  });
  await page.addInitScript(() => {
    const seen = new WeakSet();
    new MutationObserver(() => {
      for (const d of document.querySelectorAll('[role="alertdialog"], [role="dialog"]')) {
        if (seen.has(d)) continue;
        seen.add(d);
        const by = d.getAttribute('aria-labelledby');
        const name = (by && document.getElementById(by)?.textContent) || d.getAttribute('aria-label') || d.getAttribute('role');
        window.__xyDialogOpened(name.trim());
      }
    }).observe(document, { childList: true, subtree: true });
  });
}

/**
 * One test file's H5 session: a server, the H5 front and a browser page, started in
 * beforeAll and stopped in afterAll (registered here, so they run before the file's
 * own hooks). The fields are filled in once beforeAll has run.
 * `fullPage`: screenshots of the whole scrolled page rather than the viewport.
 */
function useH5Session({ fullPage = false } = {}) {
  fs.mkdirSync(SHOTS, { recursive: true });
  let reloads = 0;
  // The journey's name from its file (journey.e2e.js → journey): one accessibility record per file.
  const caller = (new Error().stack.split('\n').map((l) => /\/([\w-]+)\.e2e\.js/.exec(l)).find(Boolean) ?? [])[1] ?? 'journey';
  const a11y = a11yRecorder(caller);
  const pageChecks = checkQueue();
  const s = {
    server: null,
    front: null,
    browser: null,
    page: null,
    /** The Content-Security-Policy header the H5 page came with (null: none). */
    contentSecurityPolicy: null,
    /** The page Taro shows now (earlier pages of the stack stay in the DOM, hidden). */
    P: () => s.page.locator('.taro_page:visible').last(),
    a11y,
    /** The API as a demo person (see signedIn). */
    apiAs: (openid) => signedIn(s.server.base, openid),
    /** The demo community committee's API and its community's id. */
    committee: async () => {
      const admin = await signedIn(s.server.base, 'demo-community-admin');
      return { admin, communityId: admin.user.roles.find((r) => r.role === 'community_admin').orgId };
    },
    /** A screenshot of the page, and an accessibility check of it (every page a journey shows is shot). */
    async shot(name) {
      await s.page.waitForTimeout(250); // let toasts and images settle
      await s.page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
      await pageChecks.run(() => a11y.check(s.page, name));
    },
    /** An accessibility check of what is shown now, with no screenshot (a step inside a page). */
    async checkA11y(label) {
      await pageChecks.run(() => a11y.check(s.page, label));
    },
    /**
     * Answers our yes/no dialog (utils/dialog.ts) found by its name (the title), after an
     * accessibility check of it: `answer` is the button's name (确定, 再想想, …).
     */
    async answerDialog(title, answer) {
      const dialog = s.page.getByRole('alertdialog', { name: title });
      await dialog.waitFor();
      await pageChecks.run(() => a11y.check(s.page, `dialog ${title}`));
      await dialog.getByRole('button', { name: answer, exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
    },
    /** Loads the app afresh (a new query string each time, so the hash route is taken from the start). */
    async openApp(hashPath = '') {
      reloads++;
      await s.page.goto(`${s.front.base}/?r=${reloads}${hashPath ? `#${hashPath}` : ''}`);
    },
    /** Signs out (clears storage) and picks a demo person on the login screen. */
    async loginAs(label) {
      await s.page.evaluate(() => localStorage.clear()).catch(() => undefined);
      await s.openApp();
      await s.page.getByRole('button', { name: label, exact: true }).click();
      await s.P().locator('.xy-home').waitFor();
    },
  };
  beforeAll(async () => {
    s.server = await startServer();
    s.front = await frontFor(s.server);
    s.browser = await launchBrowser();
    s.page = await s.browser.context.newPage();
    s.page.setDefaultTimeout(15000);
    await watchA11y(s.page, a11y, pageChecks);
    s.page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    const r = await fetch(`${s.front.base}/`);
    s.contentSecurityPolicy = r.headers.get('content-security-policy');
    if (!s.contentSecurityPolicy) process.stderr.write('e2e: the H5 page is served without a Content-Security-Policy: violations cannot be seen\n');
  });
  // Any Content-Security-Policy violation, and any serious or critical accessibility violation on a
  // page or dialog the test went through, fails the test it happened in.
  afterEach(async () => {
    await s.page?.waitForTimeout(100);
    if (s.browser) assertNoCspViolations(s.browser.csp, `during "${expect.getState().currentTestName}"`);
    const blocking = await pageChecks.settle();
    if (blocking.length) throw new Error(blocking.join('\n'));
  });
  afterAll(async () => {
    a11y.write();
    await s.browser?.close();
    await s.front?.stop();
    await s.server?.stop();
  });
  return s;
}

/**
 * The server's own local time (server/dist/common/time.js, WORK_TIMEZONE's default offset): the
 * journeys' "today" and "this year" are the days the server computes, never a hand-written +8h.
 */
function serverTime() {
  return require(path.join(SERVER, 'dist', 'common', 'time.js'));
}
const localToday = () => serverTime().localDay(new Date());
const localThisYear = () => serverTime().localYear(new Date());

module.exports = { localToday, localThisYear, checkA11y, a11yRecorder, startServer, frontFor, launchBrowser, assertNoCspViolations, expiredToken, api, devLogin, signedIn, useH5Session, H5_DIR, MINIAPP, ROOT };
