// Regenerates the README screenshots from a running app with demo data:
//   BASE_URL=http://127.0.0.1:3000 node tools/screenshots.mjs
// Korean text needs a CJK font on the machine (Debian: fonts-noto-cjk).
import { chromium } from '@playwright/test';

const base = process.env.BASE_URL || 'http://127.0.0.1:3000';
const out = new URL('../../docs/screenshots/', import.meta.url).pathname;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
});

async function shot(name, { locale = 'ko-KR', viewport = { width: 1200, height: 760 }, run }) {
  const context = await browser.newContext({ locale, viewport, colorScheme: 'light' });
  const page = await context.newPage();
  await run(page);
  // Images load lazily; wait for them so the picture is complete.
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${out}${name}.png` });
  await context.close();
}

async function login(page, email = 'shopper@jangteo.test') {
  await page.goto(`${base}/login`);
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(process.env.DEMO_PASSWORD || 'jangteo-demo');
  await page.getByRole('main').getByRole('button', { name: '로그인' }).click();
  await page.waitForURL(/\/account$/);
}

await shot('home', { run: (p) => p.goto(base) });
await shot('home-en-mobile', { locale: 'en-US', viewport: { width: 390, height: 760 }, run: (p) => p.goto(base) });
await shot('signup-errors', {
  run: async (p) => {
    await p.goto(`${base}/signup`);
    await p.getByLabel('이메일').fill('not-an-email');
    await p.getByLabel('비밀번호').fill('short');
    await p.getByRole('button', { name: '가입하기' }).click();
    await p.getByText('올바른 이메일 주소를 입력해 주세요.').waitFor();
  },
});
await shot('account', { viewport: { width: 1200, height: 900 }, run: login });
await shot('addresses', {
  viewport: { width: 1200, height: 900 },
  run: async (p) => {
    await login(p);
    await p.goto(`${base}/account/addresses`);
  },
});
await shot('shop', { viewport: { width: 1200, height: 900 }, run: (p) => p.goto(`${base}/shop/c/fashion`) });
await shot('product', { viewport: { width: 1200, height: 900 }, run: (p) => p.goto(`${base}/p/kitchen-gift-set`) });
await shot('product-gallery', { viewport: { width: 1200, height: 900 }, run: (p) => p.goto(`${base}/shop/c/women-tshirts`).then(() => p.getByTestId('product-card').first().getByRole('link').click()).then(() => p.waitForURL(/\/p\//)) });
await shot('seller-edit', {
  viewport: { width: 1200, height: 1400 },
  run: async (p) => {
    await login(p, 'seller@jangteo.test');
    await p.goto(`${base}/seller/products`);
    await p.getByTestId('seller-product').first().getByRole('link').first().click();
    await p.waitForURL(/\/seller\/products\/[0-9a-f-]+$/);
  },
});
async function openConcert(p) {
  await login(p);
  await p.goto(`${base}/tickets`);
  await p.getByTestId('concert-card').filter({ hasText: '장터 봄맞이 어쿠스틱 콘서트' }).getByRole('link').first().click();
  await p.getByTestId('seat-map').waitFor();
}
await shot('seat-map', {
  viewport: { width: 1200, height: 1250 },
  run: async (p) => {
    await openConcert(p);
    const free = p.getByRole('checkbox', { name: /선택 가능$/ });
    await free.nth(12).check();
    await free.nth(13).check();
  },
});
await shot('waiting-room', {
  run: async (p) => {
    await login(p);
    await p.goto(`${base}/tickets`);
    await p.getByTestId('concert-card').filter({ hasText: '장터 페스티벌 2027' }).getByRole('link').first().click();
    await p.getByTestId('join-queue').click();
    await p.getByTestId('queue-prequeue').waitFor();
  },
});
await shot('ticket', {
  viewport: { width: 1200, height: 900 },
  run: async (p) => {
    await openConcert(p);
    await p.getByRole('checkbox', { name: /선택 가능$/ }).first().check();
    await p.getByRole('button', { name: '선택한 좌석 잡기' }).click();
    await p.getByTestId('pay-hold').click();
    await p.waitForURL(/\/tickets\/me$/);
    await p.getByTestId('ticket-qr').first().waitFor();
  },
});
await browser.close();
console.log(`screenshots written to ${out}`);
