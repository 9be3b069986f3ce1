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
