import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// The layers (ARCHITECTURE.md): routes → domain folders → db, with web/ (request plumbing) and
// ui/ (components and hooks) beside them. Each folder lists what it may never import.
const domains = ["account", "agents", "meetings", "transcripts", "processing", "github", "mail"];
const folder = (name) => [`~/${name}/**`, `../${name}/**`, `../../${name}/**`];
const rules = {
  tests: { group: ["**/tests/**"], message: "Nothing under app/ imports tests/." },
  routes: {
    group: [...folder("routes"), "~/root"],
    message: "Only React Router imports route modules.",
  },
  web: {
    group: folder("web"),
    message: "Domain code takes plain values, not requests: keep web/ in routes.",
  },
  auth: { group: folder("auth"), message: "This layer sits below auth/." },
  domains: {
    group: [...domains, "sandbox"].flatMap(folder),
    message: "This layer sits below the domain folders.",
  },
  server: {
    group: ["**/*.server", "~/server"],
    message: "ui/ is for the browser too: no server modules.",
  },
  ui: { group: folder("ui"), message: "The database layer has no components." },
};
const layers = [
  { files: ["app/**"], forbid: ["tests"] },
  { files: ["app/ui/**"], forbid: ["tests", "routes", "server", "web", "auth", "domains"] },
  { files: ["app/web/**"], forbid: ["tests", "routes", "auth", "domains"] },
  { files: ["app/auth/**"], forbid: ["tests", "routes"] },
  {
    files: [...domains, "sandbox"].map((name) => `app/${name}/**`),
    forbid: ["tests", "routes", "web"],
  },
  { files: ["app/db/**"], forbid: ["tests", "routes", "web", "auth", "domains", "ui"] },
];

export default tseslint.config(
  {
    ignores: [
      "build/",
      ".react-router/",
      "node_modules/",
      "test-results/",
      "playwright-report/",
      "data/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
    },
  },
  {
    // One way to read a form (web/form.server.ts), so that every body is bounded and parsed in
    // linear time. ui/ validates the browser's own form with conform; tests may do as they like.
    files: ["app/**"],
    ignores: ["app/web/form.server.ts", "app/ui/**", "app/**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='formData']",
          message: "Read a form with readForm (app/web/form.server.ts): it bounds the body.",
        },
        {
          selector: "ImportSpecifier[imported.name='parseWithZod']",
          message:
            "Parse a form with parseForm (app/web/form.server.ts): it keeps the cost linear.",
        },
      ],
    },
  },
  ...layers.map(({ files, forbid }) => ({
    files,
    rules: { "no-restricted-imports": ["error", { patterns: forbid.map((name) => rules[name]) }] },
  })),
);
