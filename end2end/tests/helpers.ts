import { expect, Page, TestInfo } from '@playwright/test';

export const PASSWORD = 'spring market 2026';

/** A fresh address per test and project, so runs never collide. */
export function uniqueEmail(info: TestInfo, tag: string): string {
  const rand = Math.random().toString(36).slice(2, 8);
  return `e2e-${tag}-${info.project.name}-${Date.now()}-${rand}@example.com`;
}

export async function signUp(page: Page, email: string, name: string) {
  await page.goto('/signup');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByLabel('이름').fill(name);
  await page.getByRole('button', { name: '가입하기' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
}

export async function logIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(password);
  await page.getByRole('main').getByRole('button', { name: '로그인' }).click();
}

/** A valid 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
