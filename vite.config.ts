import { reactRouter } from "@react-router/dev/vite";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vitest/config";
import { writeBuildStamp } from "./app/build-stamp.js";

/** After the server build (the last step of `react-router build`), record what it was built from. */
const buildStamp: Plugin = {
  name: "smtg-build-stamp",
  apply: "build",
  closeBundle() {
    if (this.environment.name === "ssr") writeBuildStamp();
  },
};

export default defineConfig({
  // The server build's entry is our Express app, which wraps React Router's request handler.
  environments: {
    ssr: { build: { rollupOptions: { input: "./app/server.ts" } } },
  },
  resolve: { tsconfigPaths: true },
  plugins: process.env.VITEST ? [] : [tailwindcss(), reactRouter(), buildStamp],
  test: {
    env: {
      NODE_ENV: "test",
      SESSION_SECRET: "test-session-secret-that-is-long-enough-0123456789",
      GITHUB_SANDBOX: "off",
    },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["app/**/*.test.{ts,tsx}"] },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: [
            "tests/integration/**/*.test.ts",
            "tests/mail-catcher/**/*.test.ts",
          ],
          globalSetup: ["tests/support/database-template.ts"],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
