// Why a sign-in did not complete, as the login page explains it. The callback route picks the
// code; only known codes are shown, so a crafted URL cannot put words on the page.

export const signInProblems = {
  denied:
    "You cancelled the sign-in on GitHub. Nothing was changed; sign in again whenever you are ready.",
  state:
    "We could not verify that sign-in (it may have been started in another tab, or took longer than 5 minutes). Please sign in again.",
  expired_code: "GitHub's sign-in code expired or was already used. Please sign in again.",
  github_unavailable:
    "GitHub could not be reached or did not answer in time. Please try again in a moment.",
  misconfigured:
    "GitHub rejected this app's OAuth settings (client ID, secret or callback URL). Please tell the administrator.",
  no_verified_email:
    "Your GitHub account has no verified email address. Verify one at GitHub (Settings → Emails), then sign in again.",
  email_unverified_conflict:
    "An account with your GitHub email already exists, but its email address is not verified, so we cannot link GitHub to it. Sign in to that account another way and verify its email first.",
  other_github_account:
    "An account with your GitHub email already exists and is connected to a different GitHub account. Sign in with that GitHub account or with your password.",
  sandbox_email_in_use:
    "An account with this email already exists. The GitHub sandbox cannot prove who owns an address, so it does not sign in to existing accounts: sign in with your password, then connect GitHub in Settings.",
  failed: "Sign-in failed unexpectedly. Please try again.",
} as const;

export type SignInProblem = keyof typeof signInProblems;

export function signInProblemMessage(code: string | null): string | null {
  return code && Object.hasOwn(signInProblems, code) ? signInProblems[code as SignInProblem] : null;
}
