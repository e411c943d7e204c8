import { type RouteConfig, index, route } from "@react-router/dev/routes";

export default [
  index("routes/_index.tsx"),
  route("healthz", "routes/healthz.ts"),
  route("login", "routes/login.tsx"),
  route("auth/github/callback", "routes/auth.github.callback.ts"),
  route("logout", "routes/logout.ts"),
  route("agents", "routes/agents._index.tsx"),
  route("agents/new", "routes/agents.new.tsx"),
  route("agents/:agentId", "routes/agents.$agentId.tsx"),
  route("agents/:agentId/edit", "routes/agents.$agentId.edit.tsx"),
  route("agents/:agentId/delete", "routes/agents.$agentId.delete.tsx"),
  route("meetings", "routes/meetings._index.tsx"),
  route("meetings/new", "routes/meetings.new.tsx"),
  route("meetings/:meetingId", "routes/meetings.$meetingId.tsx"),
  route("meetings/:meetingId/edit", "routes/meetings.$meetingId.edit.tsx"),
  route("meetings/:meetingId/delete", "routes/meetings.$meetingId.delete.tsx"),
  route("*", "routes/$.tsx"),
] satisfies RouteConfig;
