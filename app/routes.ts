import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/_index.tsx"),
  route("healthz", "routes/healthz.ts"),
  route("login", "routes/login.tsx"),
  route("auth/github/callback", "routes/auth.github.callback.ts"),
  route("logout", "routes/logout.ts"),
  route("*", "routes/$.tsx"),
] satisfies RouteConfig;
