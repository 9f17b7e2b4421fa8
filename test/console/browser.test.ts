import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backoffice, provisionWithEvents } from '../support/events.js';
import { eventually, Receiver } from '../support/receiver.js';
import {
  ensureConsoleBuilt,
  launchBrowser,
  screenshot,
  startConsoleStack,
  type ConsoleStack,
} from './support.js';

const PHONE = { width: 390, height: 844 };
const CALLBACK_PATH = '/elements/api-v2/console/oauth/callback';

describe('the console in a real browser', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    stack = await startConsoleStack({ name: 'console-browser' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    page = await context.newPage();
  });
  afterEach(() => context.close());

  const signIn = async () => {
    await page.goto(`${stack.origin}/console`);
    await page.fill('#user-secret', stack.secrets.user);
    await page.fill('#organization-secret', stack.secrets.organization);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
  };
  /** Fills the authenticate form of the Online Sales element and leaves for the provider. */
  const startAuthentication = async (name: string) => {
    await page.locator('[data-key=infusionsoftecommerce]').getByRole('link').click();
    await page.fill('#name', name);
    await page.fill('#tags', 'browser, e2e');
    await page.click('button[type=submit]');
    await page.waitForSelector('#username');
  };
  const signInAtProvider = async () => {
    await page.fill('#username', 'owner@example.com');
    await page.fill('#password', 'sandbox');
    await page.click('.btn-primary');
    await page.waitForSelector('.btn-secondary');
  };
  const instances = async () => {
    const res = await fetch(`${stack.api}/instances`, {
      headers: { authorization: stack.platformAuth },
    });
    return (await res.json()) as { id: number; name: string; token: string }[];
  };

  it('authenticates through the provider sign-in and consent, lists the instance, and its token works', async () => {
    await page.goto(`${stack.origin}/console`);
    await page.getByLabel('User secret').waitFor();
    await screenshot(page, 'sign-in');
    await signIn();
    await page.locator('.element-card img').first().waitFor();
    await screenshot(page, 'catalog');
    expect(await page.locator('.element-card').count()).toBeGreaterThanOrEqual(4);

    await page.locator('[data-key=infusionsoftecommerce]').getByRole('link').click();
    await page.getByLabel('Instance name').waitFor();
    expect(await page.inputValue('#client-id')).toBe('fake_infusionsoft_client_id');
    await screenshot(page, 'authenticate-form');
    await page.fill('#name', 'Shop from the browser');
    await page.fill('#tags', 'browser, e2e');
    await page.click('button[type=submit]');

    await page.waitForSelector('#username');
    await screenshot(page, 'provider-sign-in');
    await signInAtProvider();
    await screenshot(page, 'provider-consent');
    await page.click('.btn-primary');

    await page.waitForURL(/\/console\/instances\/\d+\?authenticated=1$/);
    await page.getByText('Authenticated: the instance is ready.').waitFor();
    await screenshot(page, 'instance-created');
    const id = Number(/instances\/(\d+)/.exec(page.url())?.[1]);

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Instances' })
      .click();
    const row = page.locator(`.instance-row[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Shop from the browser');
    expect(await row.textContent()).toContain('valid');
    await page.fill('#search-tag', 'e2e');
    await page.click('button:has-text("Search")');
    await row.waitFor();
    await screenshot(page, 'instances');

    // A hub call with the new instance's token, as an app would make it.
    const created = (await instances()).find((i) => i.id === id);
    const orders = await fetch(`${stack.api}/hubs/ecommerce/orders?pageSize=2`, {
      headers: { authorization: `User ${stack.secrets.user}, Element ${created?.token ?? ''}` },
    });
    expect(orders.status).toBe(200);
    expect(((await orders.json()) as unknown[]).length).toBe(2);

    // The same call from the console's API page.
    await page.goto(`${stack.origin}/console/instances/${id}/docs`);
    await page
      .locator('.operations li', { hasText: '/hubs/ecommerce/orders' })
      .first()
      .getByRole('button', { name: 'Try' })
      .click();
    await page.fill('#try-query', 'pageSize=3');
    await page.click('form[aria-label="Try a request"] button[type=submit]');
    await page.locator('#try-status').waitFor();
    expect(await page.textContent('#try-status')).toBe('200');
    await screenshot(page, 'api-docs-try');

    await context.close();
    context = await browser.newContext({ viewport: PHONE });
    page = await context.newPage();
    await signIn();
    await screenshot(page, 'phone-catalog');
    await page.goto(`${stack.origin}/console/instances/${id}`);
    await page.getByRole('heading', { name: 'Shop from the browser' }).waitFor();
    await screenshot(page, 'phone-instance');
    // A string: this file is type-checked without the DOM library.
    const overflow = await page.evaluate('document.documentElement.scrollWidth > innerWidth');
    expect(overflow).toBe(false);
  });

  it('ends on a clear page and creates nothing when consent is denied', async () => {
    const before = (await instances()).length;
    await signIn();
    await startAuthentication('Denied shop');
    await signInAtProvider();
    await page.click('.btn-secondary');
    await page.waitForURL((url) => url.pathname === CALLBACK_PATH);
    expect(await page.textContent('h1')).toBe('Sign-in not completed');
    expect(await page.textContent('#message')).toContain('Access was denied at the provider');
    expect(await page.textContent('#message')).toContain('No instance was created');
    await screenshot(page, 'consent-denied');
    expect((await instances()).length).toBe(before);
    expect((await instances()).some((i) => i.name === 'Denied shop')).toBe(false);
  });

  it('refuses a replayed callback', async () => {
    await signIn();
    let callbackUrl = '';
    page.on('request', (request) => {
      if (request.url().includes(CALLBACK_PATH)) callbackUrl = request.url();
    });
    await startAuthentication('Replayed shop');
    await signInAtProvider();
    await page.click('.btn-primary');
    await page.waitForURL(/authenticated=1/);
    const count = (await instances()).length;

    await page.goto(callbackUrl);
    expect(await page.textContent('h1')).toBe('Sign-in not completed');
    expect(await page.textContent('#code')).toBe('console.state-invalid');
    await screenshot(page, 'callback-replayed');
    expect((await instances()).length).toBe(count);
  });

  it('disables, enables and deletes an instance from its detail page', async () => {
    await signIn();
    await startAuthentication('Short-lived shop');
    await signInAtProvider();
    await page.click('.btn-primary');
    await page.waitForURL(/authenticated=1/);
    const id = Number(/instances\/(\d+)/.exec(page.url())?.[1]);
    const token = (await instances()).find((i) => i.id === id)?.token ?? '';
    const hubCall = () =>
      fetch(`${stack.api}/hubs/ecommerce/orders`, {
        headers: { authorization: `User ${stack.secrets.user}, Element ${token}` },
      });

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.locator('.badge', { hasText: 'disabled' }).waitFor();
    expect((await hubCall()).status).toBe(403);
    await screenshot(page, 'instance-disabled');

    await page.getByRole('button', { name: 'Enable' }).click();
    await page.locator('.badge', { hasText: 'enabled' }).waitFor();
    expect((await hubCall()).status).toBe(200);

    await page.getByLabel('Events on').check();
    await page.fill('#set-callback', 'https://example.com/hooks/junction');
    await page.fill('#set-poll', '5');
    await page.click('button:has-text("Save settings")');
    await page.getByText('Saved.').waitFor();
    await page.locator('.badge', { hasText: 'events on' }).waitFor();

    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog').waitFor();
    await screenshot(page, 'instance-delete-confirm');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await instances()).some((i) => i.id === id)).toBe(true);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Delete instance' }).click();
    await page.waitForURL((url) => url.pathname === '/console/instances');
    expect((await instances()).some((i) => i.id === id)).toBe(false);
    expect((await hubCall()).status).toBe(401);
  });

  it('signs out, and the session is gone', async () => {
    await signIn();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User secret').waitFor();
    await screenshot(page, 'signed-out');
    const res = await page.request.get(`${stack.origin}/console/session`);
    expect(res.status()).toBe(401);
  });
});

describe('the console instance page: events and deliveries', () => {
  let stack: ConsoleStack;
  let receiver: Receiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    // A failed delivery is queued at once, so the console has one to redeliver.
    stack = await startConsoleStack({
      name: 'console-events',
      autoConsent: true,
      env: { JUNCTION_EVENT_FAILURE_POLICY: 'queue' },
    });
    receiver = await new Receiver().start();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await receiver?.close();
  });

  it('shows an event with its queued delivery, redelivers it, and shows it delivered', async () => {
    receiver.respond(500);
    await backoffice(stack, 'PATCH', 'orders/7', { notes: 'changed for the console' });
    const instance = await provisionWithEvents(stack, receiver.url, {
      'event.poller.configuration': { orders: { pollDelay: 60 } },
    });
    await eventually(async () => {
      await stack.hub.services.events.runNow();
      return receiver.received.length > 0;
    });

    await page.goto(`${stack.origin}/console`);
    await page.fill('#user-secret', stack.secrets.user);
    await page.fill('#organization-secret', stack.secrets.organization);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
    await page.goto(`${stack.origin}/console/instances/${instance.id}`);
    const row = page.locator('.event-row').first();
    await row.locator('.delivery-status', { hasText: 'queued' }).waitFor();
    expect(await row.locator('.event-status').textContent()).toBe('DISPATCHED');
    await screenshot(page, 'instance-events-queued');

    // The callback works again; Redeliver, from the keyboard.
    const redeliver = row.getByRole('button', { name: /^Redeliver event / });
    await redeliver.press('Enter');
    await page.getByText(/^Redelivery of .* started\.$/).waitFor();
    await eventually(async () => {
      await stack.hub.services.events.runNow();
      return receiver.received.some((r) => r.status === 200);
    });
    await page.getByRole('button', { name: 'Refresh events' }).click();
    await row.locator('.delivery-status', { hasText: 'delivered' }).waitFor();
    expect(await row.locator('.event-status').textContent()).toBe('NOTIFIED');
    expect(await redeliver.count()).toBe(0);
    expect(receiver.received.map((r) => r.status)).toEqual([500, 200]);
    await screenshot(page, 'instance-events-delivered');

    await page.setViewportSize(PHONE);
    await row.locator('.delivery-status', { hasText: 'delivered' }).waitFor();
    await screenshot(page, 'phone-instance-events');
    const overflow = await page.evaluate('document.documentElement.scrollWidth > innerWidth');
    expect(overflow).toBe(false);
  });
});
