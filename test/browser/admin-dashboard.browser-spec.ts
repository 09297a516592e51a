import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AlertEvaluator } from '#src/audit/alerts/alert.evaluator.js';
import { AuditService } from '#src/audit/audit.service.js';
import { DeliveryError } from '#src/notification/notification.types.js';
import { ADMIN_KEY, startTestApp, type TestApp } from '../support/test-app.js';

// The dashboard in a real headless Chromium, against the whole service on the embedded default,
// after real sends, verifications, a delivery failure and an IP block made over HTTP.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(process.cwd(), 'artifacts', 'screenshots');
const BLOCKED_IP = '198.51.100.77';
const LOCKED = '+998905557788';
// A login throttled by LOGIN_MAX_FAILURES failed logins, and a destination prefix whose SMS-pumping
// breaker opens after SMS_BREAKER_MIN_SENDS codes that nobody verifies.
const THROTTLED = 'throttled.user@example.com';
const THROTTLED_MASKED = 't***@example.com';
const PUMPED = '+9989377';
const SMS_BLUE = [37, 99, 235];
// Page-side callbacks are serialised into the browser; this tsconfig has no DOM types.

describe('admin dashboard in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];

  const wrong = (c: string) => String((Number(c) + 1) % 10 ** c.length).padStart(c.length, '0');
  const send = (channel: 'sms' | 'email', to: string, ip: string) =>
    t.post('/v1/otp/send', { channel, to, purpose: 'login' }, { 'x-forwarded-for': ip });
  const verify = (channel: 'sms' | 'email', to: string, code: string, ip: string) =>
    t.post('/v1/otp/verify', { channel, to, purpose: 'login', code }, { 'x-forwarded-for': ip });
  const shot = (name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const violations = () => page.evaluate(() => ((globalThis as any).__csp ?? []) as string[]);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp({
      env: {
        TRUST_PROXY: 'loopback',
        OTP_SEND_COOLDOWN_SECONDS: '0',
        ALERT_DELIVERY_FAILURES: '1',
        ALERT_RECIPIENT_LOCKOUTS: '1',
        OTP_MAX_FAILED_ATTEMPTS: '3',
        LOGIN_MAX_FAILURES: '3',
        SMS_BREAKER_MIN_SENDS: '5',
      },
    });
    // The page picks "last hour" from the browser's clock: put the service's clock on it too.
    t.clock.set(new Date(Date.now() - 20 * 60_000));
    for (let i = 0; i < 6; i++) {
      const phone = `+99890555000${i}`;
      const ip = `203.0.113.${10 + i}`;
      expect((await send('sms', phone, ip)).status).toBe(202);
      if (i % 3 === 0) {
        expect((await verify('sms', phone, wrong(t.lastCode(phone)), ip)).status).toBe(422);
      }
      expect((await verify('sms', phone, t.lastCode(phone), ip)).status).toBe(200);
      t.clock.advance(3 * 60_000);
    }
    const email = 'browser.user@example.com';
    expect((await send('email', email, '203.0.113.30')).status).toBe(202);
    expect((await verify('email', email, t.lastCode(email), '203.0.113.30')).status).toBe(200);
    t.sms.failWith = new DeliveryError('vendor down', true);
    expect((await send('sms', '+998905559999', '203.0.113.31')).status).toBe(502);
    t.sms.failWith = null;
    // A recipient locked by three wrong codes (from three IPs, under the per-IP limit).
    expect((await send('sms', LOCKED, '203.0.113.40')).status).toBe(202);
    const lockedCode = t.lastCode(LOCKED);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await verify('sms', LOCKED, wrong(lockedCode), `203.0.113.4${i + 1}`)).status);
    }
    expect(statuses).toEqual([422, 422, 429]);
    // An IP blocked by real traffic: the 4th wrong verify in a minute is refused.
    const body = { channel: 'sms', to: '+998901112233', purpose: 'login', code: '000000' };
    let last = 0;
    for (let i = 0; i < 4; i++) {
      last = (await t.post('/v1/otp/verify', body, { 'x-forwarded-for': BLOCKED_IP })).status;
    }
    expect(last).toBe(429);
    // Older, quieter history, so the audit trail has more than one page.
    const audit = t.app.get(AuditService);
    t.clock.set(new Date(Date.now() - 50 * 60_000));
    for (let i = 0; i < 40; i++) {
      await audit.record({ type: 'password_reset.requested', ip: '192.0.2.50', details: { i } });
      t.clock.advance(1000);
    }
    await t.app.get(AlertEvaluator, { strict: false }).drain();
    t.clock.set(new Date());

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
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
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    await page.addInitScript(() => {
      const w = globalThis as any;
      w.document.addEventListener('securitypolicyviolation', (e: any) => {
        (w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => failedRequests.push(`${r.url()} ${r.failure()?.errorText}`));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should serve /admin under a strict CSP and leave /docs working', async () => {
    const res = await page.goto(`${t.baseUrl}/admin`);
    expect(res?.status()).toBe(200);
    const csp = res!.headers()['content-security-policy'];
    expect(csp).toContain(`script-src 'self'`);
    expect(csp).toContain(`style-src 'self'`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const docs = await t.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain('unsafe-inline');
    await page.getByLabel('Admin key').waitFor();
    await shot('signin');
  });

  it('should show the API 401 message for a wrong key and keep nothing', async () => {
    const api = await t.get('/v1/admin/blocks', { authorization: 'Bearer wrong-key-0123456789' });
    await page.getByLabel('Admin key').fill('wrong-key-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.textContent()).toBe(api.body.message);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length as number)).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).document.cookie as string)).toBe('');
  });

  it('should sign in with the key, keep it in sessionStorage only, and draw charts with data', async () => {
    await page.getByLabel('Admin key').fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Overview' }).waitFor();
    expect(await page.evaluate(() => Object.values((globalThis as any).sessionStorage))).toEqual([
      ADMIN_KEY,
    ]);
    expect(await page.evaluate(() => (globalThis as any).localStorage.length as number)).toBe(0);
    expect((await context.cookies()).length).toBe(0);

    const totals = page.getByTestId('totals-table');
    await totals.waitFor();
    const row = (label: string) => totals.locator('tr', { hasText: label }).locator('td');
    await expect_(async () => expect(await row('Sends').allTextContents()).toEqual(['7', '1']));
    expect(await row('Delivery failures').allTextContents()).toEqual(['1', '0']);
    expect(await row('Verifications succeeded').allTextContents()).toEqual(['6', '1']);
    expect(await row('Verifications failed').allTextContents()).toEqual(['5', '0']);
    expect(await row('First-attempt success').allTextContents()).toEqual(['57.1%', '100%']);

    const providers = page.getByTestId('providers-table');
    expect(await providers.locator('tbody tr').count()).toBe(2);
    expect(await providers.locator('tr', { hasText: 'fake-sms' }).textContent()).toContain('87.5%');

    // The sends chart draws the SMS line in its colour at more than one height: real data.
    const canvas = page.getByTestId('chart-sends').locator('canvas');
    await canvas.waitFor();
    const spread = await canvas.evaluate((el, rgb) => {
      const c = el as any;
      const px: number[] = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < px.length; i += 4) {
        const near =
          Math.abs(px[i] - rgb[0]) < 40 &&
          Math.abs(px[i + 1] - rgb[1]) < 40 &&
          Math.abs(px[i + 2] - rgb[2]) < 40;
        if (near) {
          const y = Math.floor(i / 4 / c.width);
          min = Math.min(min, y);
          max = Math.max(max, y);
        }
      }
      return max - min;
    }, SMS_BLUE);
    expect(spread).toBeGreaterThan(20);
    for (const id of ['chart-verifications', 'chart-first-attempt', 'chart-blocks']) {
      expect(await page.getByTestId(id).locator('canvas').count()).toBe(1);
    }
    await shot('overview');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    await shot('overview-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('should show the API error for a custom range too long, then chart a valid one', async () => {
    const local = (ms: number) => {
      const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
      return d.toISOString().slice(0, 16);
    };
    await page.getByLabel('Range', { exact: true }).selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill(local(Date.now() - 40 * 86_400_000));
    await page.getByLabel('To', { exact: true }).fill(local(Date.now() + 60_000));
    await page.getByRole('button', { name: 'Apply' }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    expect(await error.textContent()).toContain('at most 31 days');

    await page.getByLabel('From', { exact: true }).fill(local(Date.now() - 2 * 3_600_000));
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect_(async () => expect(await page.getByRole('alert').count()).toBe(0));
    const totals = page.getByTestId('totals-table');
    const sends = totals.locator('tr', { hasText: 'Sends' }).locator('td');
    expect(await sends.allTextContents()).toEqual(['7', '1']);
    await page.getByLabel('Range', { exact: true }).selectOption('hour');
  });

  it('should throttle a login and suspend an SMS destination by real traffic', async () => {
    // Failed logins for one email from as many IPs (under the per-IP limit): the next is refused.
    const login = (i: number) =>
      t.post(
        '/v1/hr/login',
        { email: THROTTLED, password: 'not the password at all' },
        { 'x-forwarded-for': `203.0.113.${200 + i}` },
      );
    const failures: string[] = [];
    for (let i = 0; i < 3; i++) failures.push((await login(i)).body.code);
    expect(failures).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS']);
    expect((await login(3)).body.code).toBe('LOGIN_THROTTLED');
    // Codes to five numbers of one prefix, from five IPs, never verified: the breaker opens.
    for (let i = 0; i < 5; i++) {
      expect((await send('sms', `${PUMPED}0000${i}`, `203.0.113.${150 + i}`)).status).toBe(202);
    }
    const refused = await send('sms', `${PUMPED}00099`, '203.0.113.160');
    expect(refused.body.code).toBe('DESTINATION_SUSPENDED');
    const blocks = (await t.admin('GET', '/v1/admin/blocks')).body;
    expect(blocks.logins).toEqual([{ email: THROTTLED_MASKED, lockedUntil: expect.any(String) }]);
    expect(blocks.destinations).toMatchObject([{ prefix: PUMPED, state: 'open' }]);
    // The breaker's alert is stamped now; the admin's unlock comes a second later.
    await t.app.get(AlertEvaluator, { strict: false }).drain();
    t.clock.advance(1000);
  });

  it('should list the IP blocked by real traffic and unlock it from the page', async () => {
    await page.getByRole('tab', { name: 'Blocks' }).click();
    const ips = page.getByTestId('ip-blocks');
    await ips.waitFor();
    await page.getByTestId('destinations').waitFor();
    await page.getByTestId('logins').waitFor();
    expect(await ips.locator('tbody tr').count()).toBe(1);
    expect(await ips.locator('tbody tr').textContent()).toContain(BLOCKED_IP);
    expect(await ips.locator('tbody tr td').nth(2).textContent()).toMatch(/^1[0-5]m \d\ds$/);
    await shot('blocks');

    await page.getByRole('button', { name: `Unlock IP ${BLOCKED_IP}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText(`Unlocked IP ${BLOCKED_IP}.`).waitFor();
    expect(await page.getByTestId('ip-blocks').count()).toBe(0);
    await page.getByText('No IP is blocked right now.').waitFor();
    await page.getByTestId('recent-unlocks').getByText(`IP ${BLOCKED_IP}`).waitFor();

    const blocks = await t.admin('GET', '/v1/admin/blocks');
    expect(blocks.body.ips).toEqual([]);
    const unlocks = await t.admin('GET', '/v1/admin/audit-events?type=admin.unlock');
    expect(unlocks.body.items[0].details).toMatchObject({ target: 'ip', unblockedIp: BLOCKED_IP });
    const body = { channel: 'sms', to: '+998901112233', purpose: 'login', code: '000000' };
    const again = await t.post('/v1/otp/verify', body, { 'x-forwarded-for': BLOCKED_IP });
    expect(again.status).not.toBe(429);
  });

  it('should unlock a locked recipient once the full number typed matches the masked row', async () => {
    const locks = page.getByTestId('recipient-locks');
    await locks.waitFor();
    expect(await locks.locator('tbody tr').textContent()).toContain('+998*******88');
    expect(await page.locator('body').textContent()).not.toContain(LOCKED);

    await page.getByRole('button', { name: 'Unlock +998*******88' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Full phone number').fill('+998905550000');
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain('still locked');

    await dialog.getByLabel('Full phone number').fill('+998 90 555 77 88');
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('Unlocked +998*******88 (sms).').waitFor();
    expect(await page.getByTestId('recipient-locks').count()).toBe(0);
    expect((await t.admin('GET', '/v1/admin/blocks')).body.recipients).toEqual([]);
    await page.getByTestId('recent-unlocks').getByText('sms +998*******88').waitFor();
    expect((await send('sms', LOCKED, '203.0.113.45')).status).toBe(202);
  });

  it('should close a suspended SMS destination from the page, no typing needed', async () => {
    const rows = page.getByTestId('destinations').locator('tbody tr');
    expect(await rows.count()).toBe(1);
    const cells = await rows.locator('td').allTextContents();
    expect(cells.slice(0, 2)).toEqual([PUMPED, 'open']);
    expect(cells[2]).toMatch(/^\d+m \d\ds$/);

    await page.getByRole('button', { name: `Unlock SMS destination ${PUMPED}` }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('heading').textContent()).toBe(
      `Unlock SMS destination ${PUMPED}?`,
    );
    expect(await dialog.getByRole('textbox').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText(`Unlocked SMS destination ${PUMPED}.`).waitFor();
    expect(await page.getByTestId('destinations').count()).toBe(0);
    await page.getByText('No SMS destination is suspended right now.').waitFor();
    await page.getByTestId('recent-unlocks').getByText(`SMS destination ${PUMPED}`).waitFor();

    expect((await t.admin('GET', '/v1/admin/blocks')).body.destinations).toEqual([]);
    const unlocks = await t.admin('GET', '/v1/admin/audit-events?type=admin.unlock');
    expect(unlocks.body.items[0].details).toEqual({
      target: 'destination',
      prefix: PUMPED,
      wasOpen: true,
    });
    expect((await send('sms', `${PUMPED}00098`, '203.0.113.161')).status).toBe(202);
  });

  it('should show the API error, then unlock a throttled login once the full email matches', async () => {
    const rows = page.getByTestId('logins').locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.locator('td').first().textContent()).toBe(THROTTLED_MASKED);
    expect(await rows.locator('td').nth(1).textContent()).toMatch(/^1[0-5]m \d\ds$/);
    expect(await page.locator('body').textContent()).not.toContain(THROTTLED);

    await page.getByRole('button', { name: `Unlock login ${THROTTLED_MASKED}` }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('heading').textContent()).toBe('Unlock this login?');
    const alert = dialog.getByRole('alert');
    // Blank once trimmed: the API refuses it (400), and the page shows the API's own message.
    const refusal = await t.admin('POST', '/v1/admin/unlock', { login: '' });
    expect(refusal.status).toBe(400);
    await dialog.getByLabel('Full email').fill('   ');
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await alert.waitFor();
    expect(await alert.textContent()).toContain(refusal.body.message);
    // Another email with the same mask: the API accepts, the row stays, the page says so.
    await dialog.getByLabel('Full email').fill('tom@example.com');
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await expect_(async () => expect(await alert.textContent()).toContain('still throttled'));
    expect(await rows.count()).toBe(1);
    await shot('blocks-unlock-login');

    await dialog.getByLabel('Full email').fill(' Throttled.User@Example.com ');
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText(`Unlocked login ${THROTTLED_MASKED}.`).waitFor();
    expect(await page.getByTestId('logins').count()).toBe(0);
    await page.getByText('No login is throttled right now.').waitFor();
    await page
      .getByTestId('recent-unlocks')
      .getByText(`login ${THROTTLED_MASKED}`)
      .first()
      .waitFor();

    expect((await t.admin('GET', '/v1/admin/blocks')).body.logins).toEqual([]);
    const unlocks = await t.admin('GET', '/v1/admin/audit-events?type=admin.unlock');
    expect(unlocks.body.items.slice(0, 2).map((e: any) => [e.recipient, e.details])).toEqual([
      [THROTTLED_MASKED, { target: 'login', wasLocked: true }],
      [THROTTLED_MASKED, { target: 'login', wasLocked: false }],
    ]);
    // No longer throttled: a wrong password is a plain failure again, not LOGIN_THROTTLED.
    const again = await t.post(
      '/v1/hr/login',
      { email: THROTTLED, password: 'not the password at all' },
      { 'x-forwarded-for': '203.0.113.210' },
    );
    expect(again.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('should narrow the audit trail with the filters, load more and show one event', async () => {
    await page.getByRole('tab', { name: 'Audit trail' }).click();
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    // 50 a page, newest first; "Load more" follows the cursor to the older history.
    expect(await table.locator('tbody tr').count()).toBe(50);
    await page.getByRole('button', { name: 'Load more' }).click();
    const total = (await t.admin('GET', '/v1/admin/audit-events?limit=500')).body.items.length;
    expect(total).toBeGreaterThan(50);
    await expect_(async () => expect(await table.locator('tbody tr').count()).toBe(total));
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    const lastType = await table.locator('tbody tr td:nth-child(2)').last().textContent();
    expect(lastType).toBe('password_reset.requested');

    await page.getByLabel('Type').selectOption('otp.sent');
    await page.getByRole('button', { name: 'Search' }).click();
    const sent = (await t.admin('GET', '/v1/admin/audit-events?type=otp.sent')).body.items.length;
    expect(sent).toBeLessThan(total);
    await expect_(async () => expect(await table.locator('tbody tr').count()).toBe(sent));
    const types = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(new Set(types)).toEqual(new Set(['otp.sent']));

    await page.getByLabel('Channel').selectOption('email');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect_(async () => expect(await table.locator('tbody tr').count()).toBe(1));
    expect(await table.locator('tbody tr td:nth-child(4)').textContent()).toBe('b***@example.com');

    await page.getByLabel('Type').selectOption('');
    await page.getByLabel('Channel').selectOption('');
    await page.getByLabel('IP', { exact: true }).fill('203.0.113.10');
    await page.getByRole('button', { name: 'Search' }).click();
    // One send, one wrong code and one right code from this IP.
    await expect_(async () => expect(await table.locator('tbody tr').count()).toBe(3));
    const newestFirst = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(newestFirst).toEqual(['otp.verified', 'otp.verify_failed', 'otp.sent']);

    await table.locator('tbody tr').first().getByRole('button').click();
    const details = page.getByTestId('event-details');
    await details.waitFor();
    expect(await details.textContent()).toContain('verificationId');
    await shot('audit');

    await page.getByLabel('IP', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect_(async () => expect(await table.locator('tbody tr').count()).toBe(50));
  });

  it('should list the raised alerts, newest first, with rule and masked subject', async () => {
    await t.app.get(AlertEvaluator, { strict: false }).drain();
    await page.getByRole('tab', { name: 'Alerts' }).click();
    const table = page.getByTestId('alerts-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(4);
    const rows = await table.locator('tbody tr').allTextContents();
    // The breaker's two transitions, with their destination prefix as the subject.
    expect(rows[0]).toContain('SMS destination resumed');
    expect(rows[0]).toContain('+9989377');
    expect(rows[1]).toContain('SMS destination suspended');
    expect(rows[1]).toContain('+9989377');
    expect(rows[2]).toContain('Recipient locked repeatedly');
    expect(rows[2]).toContain('+998*******88');
    expect(rows[3]).toContain('Delivery failures');
    expect(rows[3]).toContain('all');
    await shot('alerts');
  });

  it('should be keyboard-usable: arrow keys move between tabs', async () => {
    await page.getByRole('tab', { name: 'Alerts' }).focus();
    await page.keyboard.press('Home');
    expect(await page.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Blocks' }).getAttribute('aria-selected')).toBe(
      'true',
    );
  });

  it('should sign out and forget the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').waitFor();
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length as number)).toBe(0);
  });

  it('should have logged no console error, no CSP violation and no failed request', async () => {
    expect(await violations()).toEqual([]);
    // The browser reports the refusals the tests asked for itself: the wrong key's 401, the
    // too-long custom range's 400s (series and providers) and the blank login unlock's 400.
    const asked = /Failed to load resource: the server responded with a status of 40[01]/;
    expect(consoleErrors.filter((e) => !asked.test(e))).toEqual([]);
    expect(consoleErrors.filter((e) => asked.test(e))).toHaveLength(4);
    expect(failedRequests).toEqual([]);
  });
});

/** Retries an assertion for up to 5 s (the page polls the API). */
async function expect_(assertion: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
