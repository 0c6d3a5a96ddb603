// `npm run bench:ui`: the UI benchmark (bench/ui.bench.ts) against the production build, in the
// same Debian chromium as the e2e tests. Not part of .ci/run.

import { defineConfig } from '@playwright/test';
import { chromiumLaunch, previewServer } from './playwright.shared';

const PORT = Number(process.env.BENCH_PORT ?? 4327);

export default defineConfig({
  testDir: 'bench',
  testMatch: /ui\.bench\.ts$/,
  workers: 1,
  timeout: 300_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1366, height: 768 },
    launchOptions: chromiumLaunch,
  },
  webServer: previewServer(PORT),
});
