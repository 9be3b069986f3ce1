import { defineConfig, devices } from '@playwright/test';

// The server under test is started outside Playwright (scripts/test.sh or
// scripts/e2e.sh); BASE_URL says where it listens.
const baseURL = process.env.BASE_URL || 'http://127.0.0.1:3000';

// Playwright cannot download its browsers here (no internet), so we drive
// Debian's Chromium. The flags keep it from phoning home and from needing a
// sandbox or GPU inside containers.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // One worker: the machine has 2 cores and the server runs on it too.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      // Full app: the page hydrates and client-side code runs.
      name: 'chromium-js',
      use: { ...devices['Desktop Chrome'], locale: 'ko-KR', javaScriptEnabled: true, launchOptions },
    },
    {
      // Progressive enhancement: everything must also work as plain HTML forms.
      name: 'chromium-nojs',
      use: { ...devices['Desktop Chrome'], locale: 'ko-KR', javaScriptEnabled: false, launchOptions },
    },
  ],
});
