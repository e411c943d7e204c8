import { type RouteConfig, index, layout, route } from "@react-router/dev/routes";

// Every URL and the module that serves it; modules live in folders by area.
export default [
  index("routes/home.tsx"),

  route("login", "routes/auth/login.tsx"),
  route("signup", "routes/auth/signup.tsx"),
  route("logout", "routes/auth/logout.ts"),
  route("auth/github/callback", "routes/auth/github-callback.ts"),
  route("verify-email", "routes/auth/verify-email.tsx"),
  route("forgot-password", "routes/auth/forgot-password.tsx"),
  route("reset-password", "routes/auth/reset-password.tsx"),

  layout("routes/settings/layout.tsx", [
    route("settings", "routes/settings/profile.tsx"),
    route("settings/password", "routes/settings/password.tsx"),
    route("settings/connections", "routes/settings/connections.tsx"),
    route("settings/sessions", "routes/settings/sessions.tsx"),
    route("settings/delete", "routes/settings/delete.tsx"),
  ]),

  route("agents", "routes/agents/list.tsx"),
  route("agents/new", "routes/agents/new.tsx"),
  route("agents/:agentId", "routes/agents/detail.tsx"),
  route("agents/:agentId/edit", "routes/agents/edit.tsx"),
  route("agents/:agentId/delete", "routes/agents/delete.tsx"),

  route("meetings", "routes/meetings/list.tsx"),
  route("meetings/new", "routes/meetings/new.tsx"),
  route("meetings/:meetingId", "routes/meetings/detail.tsx"),
  route("meetings/:meetingId/edit", "routes/meetings/edit.tsx"),
  route("meetings/:meetingId/delete", "routes/meetings/delete.tsx"),
  route("meetings/:meetingId/transcript", "routes/meetings/transcript.tsx"),
  route("meetings/:meetingId/transcript/import", "routes/meetings/transcript-import.tsx"),
  route("meetings/:meetingId/transcript/export/:format", "routes/meetings/transcript-export.ts"),

  route("dev/mail", "routes/dev/mail.tsx"),
  route("*", "routes/not-found.tsx"),
] satisfies RouteConfig;
