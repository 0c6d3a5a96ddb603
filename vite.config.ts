/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  worker: { format: 'es' },
  // The app chunk (React, the panels, zod for validating links and files) is ~170 kB gzip,
  // inside the 300 kB budget; one chunk loads faster here than a split one.
  build: { chunkSizeWarningLimit: 700 },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'conformance/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    // Property tests replay hundreds of random machines; on a loaded 2-core box they need room.
    testTimeout: 30_000,
  },
});
