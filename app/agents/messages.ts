// Messages about linking repositories, shared by the server checks and the pages.

export const REPO_NOT_FOUND = "Repository not found, or your GitHub account cannot see it.";
export const REPO_PRIVATE_HINT =
  " If it is private, the app needs GitHub's repo scope to see it (ask your administrator to add it to GITHUB_SCOPES, then sign in again).";
export const GITHUB_UNREACHABLE =
  "GitHub could not be reached to check this repository. Your changes are kept; please try again in a moment.";
export const GITHUB_RECONNECT_MESSAGE =
  "Your GitHub authorization has expired or was revoked. Reconnect GitHub, then come back to this tab and save again: what you typed is kept.";
