import { test, expect } from '@playwright/test';
import { logIn, signUp, uniqueEmail, PASSWORD, forgetSession } from './helpers';

test('sign up, log out, log in, see my name, add a default address', async ({ page, browser }, info) => {
  const email = uniqueEmail(info, 'journey');
  const name = '김장터';
  await signUp(page, email, name);

  // Log out from the header.
  await page.getByRole('navigation', { name: '사용자 메뉴' }).getByRole('button', { name: '로그아웃' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('notice')).toHaveText('로그아웃했습니다.');
  await expect(page.getByRole('navigation', { name: '사용자 메뉴' }).getByRole('link', { name: '로그인' })).toBeVisible();
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=\/account$/);

  // Log in again and find my name on /account.
  await logIn(page, email);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`안녕하세요, ${name}님`);
  await expect(page.getByText(email)).toBeVisible();
  await expect(page.getByRole('navigation', { name: '사용자 메뉴' }).getByRole('link', { name })).toBeVisible();

  // Add an address and make it the default.
  await page.goto('/account/addresses');
  await expect(page.getByText('등록된 배송지가 없습니다.')).toBeVisible();
  await page.getByLabel('받는 분').fill('김장터');
  await page.getByLabel('연락처').fill('01012345678');
  await page.getByLabel('우편번호').fill('04524');
  await page.getByLabel('주소', { exact: true }).fill('서울특별시 중구 세종대로 110');
  await page.getByLabel('상세 주소').fill('3층');
  await page.getByLabel('기본 배송지로 설정').check();
  await page.getByRole('button', { name: '배송지 추가' }).click();
  await expect(page.getByTestId('notice')).toHaveText('배송지를 추가했습니다.');
  const card = page.getByTestId('address');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('서울특별시 중구 세종대로 110 3층');
  await expect(card).toContainText('010-1234-5678');
  await expect(card.getByText('기본 배송지')).toBeVisible();

  // It is still there after a reload (it was saved, not just shown).
  await page.reload();
  await expect(page.getByTestId('address')).toHaveCount(1);
  await expect(page.getByTestId('notice')).toHaveCount(0);

  // Deleting it says so.
  await page.getByTestId('address').getByRole('button', { name: '삭제' }).click();
  await expect(page.getByTestId('notice')).toHaveText('배송지를 삭제했습니다.');
  await expect(page.getByTestId('address')).toHaveCount(0);

  // Sign out another device from the account page.
  const other = await browser.newContext();
  const phone = await other.newPage();
  await logIn(phone, email);
  await expect(phone).toHaveURL(/\/account$/);
  await page.goto('/account');
  const devices = page.locator('.session');
  await expect(devices).toHaveCount(2);
  await devices.filter({ hasNotText: '현재 기기' }).getByRole('button', { name: '로그아웃시키기' }).click();
  await expect(page.getByTestId('notice')).toHaveText('그 기기에서 로그아웃했습니다.');
  await expect(page.locator('.session')).toHaveCount(1);
  await phone.goto('/account');
  await expect(phone).toHaveURL(/\/login\?next=\/account$/);
  await other.close();
});

test('bad sign-up input is explained next to each field', async ({ page }, info) => {
  await page.goto('/signup');
  await page.getByLabel('이메일').fill('not-an-email');
  await page.getByLabel('비밀번호').fill('short');
  await page.getByLabel('이름').fill('홍길동');
  await page.getByRole('button', { name: '가입하기' }).click();
  await expect(page.getByText('올바른 이메일 주소를 입력해 주세요.')).toBeVisible();
  await expect(page.getByText('비밀번호는 10자 이상이어야 합니다.')).toBeVisible();
  await expect(page.getByLabel('이메일')).toHaveAttribute('aria-invalid', 'true');
  // What was typed is still there (without JavaScript too), except the password.
  await expect(page.getByLabel('이메일')).toHaveValue('not-an-email');
  await expect(page.getByLabel('이름')).toHaveValue('홍길동');

  // A taken email is reported on the email field.
  const email = uniqueEmail(info, 'dup');
  await signUp(page, email, '홍길동');
  await forgetSession(page);
  await page.goto('/signup');
  await page.getByLabel('이메일').fill(email.toUpperCase());
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByLabel('이름').fill('홍길동');
  await page.getByRole('button', { name: '가입하기' }).click();
  await expect(page.getByText('이미 가입된 이메일입니다.')).toBeVisible();
});

test('a wrong password is refused with a clear message', async ({ page }, info) => {
  const email = uniqueEmail(info, 'wrongpw');
  await signUp(page, email, '이영희');
  await forgetSession(page);
  await logIn(page, email, 'not the password');
  await expect(page.getByText('이메일 또는 비밀번호가 올바르지 않습니다.')).toBeVisible();
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=\/account$/);
});

test('signing in returns to the page that asked for it', async ({ page }, info) => {
  const email = uniqueEmail(info, 'return');
  await signUp(page, email, '박돌아옴');
  await forgetSession(page);
  await page.goto('/account/addresses');
  await expect(page).toHaveURL(/\/login\?next=\/account\/addresses$/);
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: '로그인' }).click();
  await expect(page).toHaveURL(/\/account\/addresses$/);
  await expect(page.getByRole('button', { name: '배송지 추가' })).toBeVisible();
  // Another site is never a destination.
  await forgetSession(page);
  await page.goto('/login?next=%2F%09%2Fevil.example');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByRole('main').getByRole('button', { name: '로그인' }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
});
