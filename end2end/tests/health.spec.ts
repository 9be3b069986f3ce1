import { test, expect } from '@playwright/test';

// Smoke test: the server is up and reports itself healthy.
test('GET /health answers 200 with status ok', async ({ request }) => {
  const res = await request.get('/health');
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.status).toBe('ok');
});
