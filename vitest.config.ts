import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.{ts,tsx}'],
    exclude: ['tests/bench/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    // A temp folder per test file (TMPDIR), removed after it; a file whose tests leave backfile-* there fails.
    setupFiles: ['./tests/setup-temp.ts'],
    // Renderer tests choose happy-dom per file with `// @vitest-environment happy-dom`.
  },
});
