import { test, expect } from '@playwright/test';
import { logIn } from './helpers';

const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'jangteo-demo';
const OPEN_CONCERT = '장터 봄맞이 어쿠스틱 콘서트';

test('a shopper picks a seat on the map, pays from the balance and gets a ticket with a QR code', async ({ page }) => {
  await logIn(page, 'shopper@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/tickets');
  const card = page.getByTestId('concert-card').filter({ hasText: OPEN_CONCERT });
  await expect(card.getByTestId('concert-status')).toHaveText('예매 중');
  await card.getByRole('link', { name: OPEN_CONCERT }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(OPEN_CONCERT);

  // Every seat is a checkbox that says where it is, its grade, price and state.
  const free = page.getByRole('checkbox', { name: /선택 가능$/ });
  const seat = free.first();
  const label = (await seat.getAttribute('aria-label'))!;
  const place = label.split(',')[0];
  expect(place).toMatch(/^A구역 \d+열 \d+번$/);
  await seat.check();
  await page.getByRole('button', { name: '선택한 좌석 잡기' }).click();

  await expect(page).toHaveURL(/\/tickets\/holds\//);
  await expect(page.getByTestId('hold-seats')).toContainText(place);
  await expect(page.getByTestId('hold-total')).toHaveText('₩55,000');
  await page.getByTestId('pay-hold').click();

  await expect(page).toHaveURL(/\/tickets\/me$/);
  await expect(page.getByRole('status').filter({ hasText: '결제했습니다.' })).toBeVisible();
  const ticket = page.getByTestId('ticket').filter({ hasText: place });
  await expect(ticket.getByTestId('ticket-status')).toHaveText('예매 완료');
  await expect(ticket.getByTestId('ticket-qr').locator('svg')).toBeVisible();

  // The seat is sold now, for everyone.
  await page.goto('/tickets');
  await page.getByRole('link', { name: OPEN_CONCERT }).click();
  await expect(page.getByRole('checkbox', { name: `${label.replace(/, 선택 가능$/, '')}, 판매 완료` })).toBeDisabled();
});

test('a seat taken elsewhere turns unavailable without a reload', async ({ browser, page }, info) => {
  test.skip(info.project.name !== 'chromium-js', 'live updates need JavaScript');
  // The watcher: a guest with the map open.
  await page.goto('/tickets');
  await page.getByRole('link', { name: OPEN_CONCERT }).click();
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-live', 'true');
  const seat = page.getByRole('checkbox', { name: /선택 가능$/ }).last();
  const id = (await seat.getAttribute('id'))!.replace('seat-', '');
  const base = (await seat.getAttribute('aria-label'))!.replace(/, 선택 가능$/, '');

  // Another shopper, in another browser, holds that seat.
  const other = await browser.newContext();
  const buyer = await other.newPage();
  await logIn(buyer, 'shopper@jangteo.test', DEMO_PASSWORD);
  await expect(buyer).toHaveURL(/\/account$/);
  const concert = page.url().split('/').pop();
  // Through the waiting room first (nobody waits, so straight in).
  const place = await buyer.request.post(`/api/v1/concerts/${concert}/queue`);
  expect((await place.json()).state).toBe('ADMITTED');
  const res = await buyer.request.post(`/api/v1/concerts/${concert}/holds`, { data: { seatIds: [Number(id)] } });
  expect(res.status()).toBe(201);

  await expect(page.getByRole('checkbox', { name: `${base}, 선택 중` })).toBeDisabled();
  // Let it go again, so the seat is back for the next run.
  const hold = (await res.json()).id;
  expect((await buyer.request.delete(`/api/v1/holds/${hold}`)).status()).toBe(204);
  await expect(page.getByRole('checkbox', { name: `${base}, 선택 가능` })).toBeEnabled();
  await other.close();
});

test('before booking opens, a shopper waits in the pre-queue', async ({ page }) => {
  await logIn(page, 'shopper@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto('/tickets');
  const card = page.getByTestId('concert-card').filter({ hasText: '장터 페스티벌 2027' });
  await expect(card.getByTestId('concert-status')).toHaveText('예매 예정');
  await card.getByRole('link', { name: '장터 페스티벌 2027' }).click();
  await expect(page.getByTestId('booking-closed')).toContainText('예매는');
  await page.getByTestId('join-queue').click();
  await expect(page).toHaveURL(/\/queue$/);
  await expect(page.getByTestId('queue-prequeue')).toContainText('무작위');
  await page.getByRole('button', { name: '대기열 나가기' }).click();
  await expect(page.getByRole('status').filter({ hasText: '대기열에서 나왔습니다.' })).toBeVisible();
});

/** `datetime-local` in Seoul time, `minutes` from now. */
function seoulIn(minutes: number): string {
  return new Date(Date.now() + (minutes + 9 * 60) * 60_000).toISOString().slice(0, 16);
}

test('a waiting shopper sees the line move and goes to the seats when let in, without reloading', async ({ browser, page }, info) => {
  test.skip(info.project.name !== 'chromium-js', 'the live waiting page needs JavaScript');
  test.setTimeout(60_000);
  const contextOf = async (email: string) => {
    const context = await browser.newContext();
    const p = await context.newPage();
    await logIn(p, email, DEMO_PASSWORD);
    await p.waitForURL((url) => !url.pathname.startsWith('/login'));
    return { context, request: p.request };
  };
  // An open concert where one shopper at a time chooses seats.
  const admin = await contextOf('admin@jangteo.test');
  const made = await admin.request.post('/api/v1/concerts', {
    data: {
      title: `대기열 라이브 ${Date.now()}`,
      artist: '장터 밴드',
      venue: '작은 홀',
      starts_at: seoulIn(2 * 24 * 60),
      booking_starts_at: seoulIn(-5),
      booking_ends_at: seoulIn(24 * 60),
      grades: 'S 10000',
      layout: 'A S 1x10',
      queue_cap: '1',
      queue_per_minute: '600',
    },
  });
  expect(made.status()).toBe(201);
  const concert = (await made.json()).id;
  const enter = async (request: typeof admin.request) =>
    (await request.post(`/api/v1/concerts/${concert}/queue`)).json();
  // The admin takes the one slot; the seller waits first in line.
  expect((await enter(admin.request)).state).toBe('ADMITTED');
  const seller = await contextOf('seller@jangteo.test');
  expect((await enter(seller.request)).state).toBe('WAITING');

  // The shopper opens the concert and is sent to the waiting page, second in line.
  await logIn(page, 'shopper@jangteo.test', DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/account$/);
  await page.goto(`/tickets/${concert}`);
  await expect(page).toHaveURL(new RegExp(`/tickets/${concert}/queue$`));
  await expect(page.getByTestId('queue-position')).toHaveText('내 앞에 1명');

  // The seller gives up: the shopper's place moves on the open page.
  expect((await seller.request.delete(`/api/v1/concerts/${concert}/queue`)).status()).toBe(204);
  await expect(page.getByTestId('queue-position')).toHaveText('곧 입장합니다');

  // The admin leaves: the slot is the shopper's, and the page goes to the seats by itself.
  expect((await admin.request.delete(`/api/v1/concerts/${concert}/queue`)).status()).toBe(204);
  await expect(page).toHaveURL(new RegExp(`/tickets/${concert}$`), { timeout: 10_000 });
  await expect(page.getByRole('checkbox', { name: /선택 가능$/ }).first()).toBeVisible();
  await admin.context.close();
  await seller.context.close();
});
