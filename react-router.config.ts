import type { Config } from "@react-router/dev/config";

export default {
  ssr: true,
  // React Router's own check of an action's Origin (against the Host header) is off: the
  // app's (web/request-checks) compares it with APP_URL, answers 403 with the app's page and
  // logs one line, where React Router's answered 400 and logged a stack trace.
  allowedActionOrigins: ["**"],
  future: {
    v8_middleware: true,
    v8_passThroughRequests: true,
    v8_splitRouteModules: true,
    v8_trailingSlashAwareDataRequests: true,
    v8_viteEnvironmentApi: true,
  },
} satisfies Config;
