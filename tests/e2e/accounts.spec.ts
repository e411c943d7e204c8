import type { Request } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import {
  expectPasswordRefused,
  flash,
  mailTo,
  newAccount,
  newPassword,
  openMailLink,
  signInWithPassword,
  signOut,
  signUpWithPassword,
  submitAndRespond,
} from "../support/accounts";
import { linkFrom } from "../support/mail";
import { authorizeOnStandIn, newPerson, signIn } from "../support/sign-in";

const passwordNotice = /^Your SMTG Notion password was changed$/;

// Accounts with email and password, and the account settings. Only the tests about a password
// account made on /signup sign up; the others start with a GitHub account, which can get a
// password in settings.

test("signing up, verifying the mailed link, then signing out and in with the password", async ({
  page,
}) => {
  const person = await signUpWithPassword(page, newAccount("signup"));
  await expect(page).toHaveURL(/\/$/);
  await expect(flash(page, `Welcome! We sent a link to ${person.email}`)).toBeVisible();
  const banner = page.getByRole("status").filter({ hasText: "Please verify your email address" });
  await expect(banner).toContainText(person.email);
  // The sign-up mail went out moments ago: one mail a minute per address.
  await banner.getByRole("button", { name: "Send a new link" }).click();
  await expect(flash(page, "Too many attempts. Try again in 1 minute.")).toBeVisible();

  await openMailLink(
    page,
    person.email,
    /^Verify your email address for SMTG Notion$/,
    "/verify-email",
  );
  await expect(page.getByText(`Confirm that ${person.email} is your email address.`)).toBeVisible();
  // Someone may have signed up with an address that is not theirs: the page names the account.
  await expect(page.getByTestId("account-to-verify")).toContainText(
    `It belongs to the account ${person.name}, signed up`,
  );
  await expect(
    page.getByTestId("account-to-verify").getByRole("link", { name: "reset the password" }),
  ).toHaveAttribute("href", "/forgot-password");
  await page.getByRole("button", { name: "Confirm email address" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(flash(page, `Thank you: ${person.email} is verified.`)).toBeVisible();
  await expect(banner).toHaveCount(0);

  await signOut(page);
  await expectPasswordRefused(page, person.email, "not-the-password");
  await page.getByLabel("Password", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText(person.name);
  await expect(banner).toHaveCount(0);
});

test("sign-up errors appear beside the field, keeping the name and email", async ({
  page,
  javaScriptEnabled,
}) => {
  const person = newAccount("invalid");
  await page.goto("/signup");
  await page.getByLabel("Name", { exact: true }).fill(person.name);
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  const password = page.getByLabel("Password", { exact: true });
  await password.fill("short");
  const create = page.getByRole("button", { name: "Create account" });
  if (javaScriptEnabled) {
    // The browser checks the form with the server's rules before sending it.
    await create.click();
  } else {
    const response = await submitAndRespond(page, create, "/signup");
    expect(response.status()).toBe(400);
  }

  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(password).toHaveAccessibleDescription(/Password must be at least 8 characters/);
  await expect(page).toHaveURL(/\/signup$/);
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(person.name);
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(person.email);
  // Without JavaScript the server rendered the form again and never sends a password back.
  if (!javaScriptEnabled) await expect(password).toHaveValue("");
  await expect(page.getByTestId("signed-in-user")).toHaveCount(0);
});

test("a forgotten password is replaced through the mailed link", async ({ page }) => {
  // A GitHub account that sets a password in settings: no sign-up.
  const person = await signIn(page, newPerson("reset"));
  const oldPassword = newPassword();
  const password = newPassword();
  await page.goto("/settings/password");
  await expect(page.getByRole("heading", { name: "Set a password" })).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill(oldPassword);
  await page.getByLabel("Repeat the new password").fill(oldPassword);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(flash(page, "Password saved.")).toBeVisible();
  // The account's address hears of every new password, with a way to take the account back.
  const setNotice = await mailTo(person.email, passwordNotice);
  linkFrom(setNotice, "/forgot-password");
  await signOut(page);

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await page.getByLabel("Email", { exact: true }).fill(person.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(
    flash(page, `If ${person.email} has an account, we sent it a link to choose a new password.`),
  ).toBeVisible();

  const link = await openMailLink(
    page,
    person.email,
    /^Reset your SMTG Notion password$/,
    "/reset-password",
  );
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expect(page.getByText(`For ${person.email}.`)).toBeVisible();
  const repeat = page.getByLabel("Repeat the new password");
  await page.getByLabel("New password", { exact: true }).fill(password);
  await repeat.fill(`${password}-typo`);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(repeat).toHaveAccessibleDescription("The passwords do not match");

  await page.getByLabel("New password", { exact: true }).fill(password);
  await repeat.fill(password);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(flash(page, "Your password was changed and you are signed in.")).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toHaveText(person.name);
  await mailTo(person.email, passwordNotice, new Date(setNotice.receivedAt));

  // The link works once.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This link does not work" })).toBeVisible();

  await signOut(page);
  await expectPasswordRefused(page, person.email, oldPassword);
  await signInWithPassword(page, { ...person, password });
});

test("GitHub is connected from settings and, with a password, disconnected again", async ({
  page,
}) => {
  const person = await signUpWithPassword(page, newAccount("connect"));
  const github = newPerson("connect-gh");
  await page.getByTestId("signed-in-user").click();
  await page
    .getByRole("navigation", { name: "Settings" })
    .getByRole("link", {
      name: "Connected accounts",
    })
    .click();
  await expect(page).toHaveURL(/\/settings\/connections$/);
  // Only a verified address may get a second way in.
  await expect(page.getByText("Verify your email address first")).toBeVisible();
  await expect(page.getByRole("button", { name: "Connect GitHub" })).toHaveCount(0);
  await openMailLink(page, person.email, /^Verify your email address/, "/verify-email");
  await page.getByRole("button", { name: "Confirm email address" }).click();
  await expect(flash(page, `Thank you: ${person.email} is verified.`)).toBeVisible();

  // A new way in is confirmed with the password, as a borrowed session cannot.
  await page.goto("/settings/connections");
  await page.getByLabel("Current password").fill("not the password");
  const refused = await submitAndRespond(
    page,
    page.getByRole("button", { name: "Connect GitHub" }),
    "/settings/connections",
  );
  expect(refused.status()).toBe(400);
  await expect(page.getByLabel("Current password")).toHaveAccessibleDescription(
    "This is not your current password",
  );
  await expect(page.getByLabel("Current password")).toHaveValue("");
  await page.getByLabel("Current password").fill(person.password);
  await page.getByRole("button", { name: "Connect GitHub" }).click();
  await authorizeOnStandIn(page, github);
  await expect(page).toHaveURL(/\/settings\/connections$/);
  await expect(flash(page, "GitHub is connected to your account.")).toBeVisible();
  await expect(page.getByTestId("github-connection")).toContainText(`Connected as ${github.login}`);
  // The verified address hears of it.
  const notice = await mailTo(person.email, /^GitHub was connected to your SMTG Notion account$/);
  expect(notice.text).toContain(`The GitHub account ${github.login} was connected`);

  // GitHub now signs in to this account, not to a new one.
  await signOut(page);
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await authorizeOnStandIn(page, github);
  await expect(page.getByTestId("signed-in-user")).toHaveText(person.name);

  await page.goto("/settings/connections");
  await page.getByRole("button", { name: "Disconnect GitHub" }).click();
  await expect(flash(page, "GitHub was disconnected.")).toBeVisible();
  await expect(page.getByTestId("github-connection")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Connect GitHub" })).toBeVisible();
});

test("GitHub with the address of an unverified password account is refused with an explanation", async ({
  page,
}) => {
  const person = await signUpWithPassword(page, newAccount("unverified-match"));
  await signOut(page);
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await authorizeOnStandIn(page, { ...newPerson("claims"), email: person.email });
  await expect(page).toHaveURL(/\/login\?error=email_unverified_conflict$/);
  await expect(
    page.getByText(
      "An account with your GitHub email already exists, but its email address is not verified",
    ),
  ).toBeVisible();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
});

test("an account that signs in only with GitHub cannot disconnect it", async ({ page }) => {
  const github = await signIn(page, newPerson("github-only"));
  await page.goto("/settings/connections");
  await expect(page.getByTestId("github-connection")).toContainText(`Connected as ${github.login}`);
  await expect(
    page.getByText("GitHub is your only way to sign in; set a password before disconnecting it."),
  ).toBeVisible();

  const response = await submitAndRespond(
    page,
    page.getByRole("button", { name: "Disconnect GitHub" }),
    "/settings/connections",
  );
  expect(response.status()).toBe(409);
  await expect(page.getByRole("alert")).toHaveText(
    "GitHub is your only way to sign in. Set a password first, then you can disconnect GitHub.",
  );
  await page.goto("/settings/connections");
  await expect(page.getByTestId("github-connection")).toContainText(`Connected as ${github.login}`);
});

test("signing out another session from settings ends it at its next page load", async ({
  page,
  browser,
  clientAddress,
}) => {
  const person = await signIn(page, newPerson("sessions"));
  // The other device: another address and another browser, as the list must tell them apart.
  const otherAddress = "198.51.100.7";
  const otherContext = await browser.newContext({
    extraHTTPHeaders: { "X-Forwarded-For": otherAddress },
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
  });
  try {
    const other = await otherContext.newPage();
    await signIn(other, person);

    await page.goto("/settings/sessions");
    const sessions = page.getByTestId("session");
    await expect(sessions).toHaveCount(2);
    const current = sessions.filter({ hasText: "This device" });
    await expect(current).toHaveCount(1);
    await expect(current.getByRole("button")).toHaveCount(0);
    await expect(current).toContainText(clientAddress);
    const otherRow = sessions.filter({ hasNotText: "This device" });
    await expect(otherRow).toContainText("Firefox 128 on Windows 10");
    await expect(otherRow).toContainText(otherAddress);
    await otherRow.getByRole("button", { name: /^Sign out .+ \(.+\)$/ }).click();
    await expect(flash(page, "Session signed out.")).toBeVisible();
    await expect(sessions).toHaveCount(1);
    await expect(sessions).toContainText("This device");

    await other.reload();
    await expect(other.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
    await expect(other.getByTestId("signed-in-user")).toHaveCount(0);
    await page.reload();
    await expect(page.getByTestId("signed-in-user")).toHaveText(person.name);
  } finally {
    await otherContext.close();
  }
});

test("the profile and the email address are changed from settings", async ({
  page,
  javaScriptEnabled,
}) => {
  const person = await signIn(page, newPerson("profile"));
  const newName = `${person.name} renamed`;
  const newAddress = newAccount("new-address").email;
  await page.goto("/settings");
  const name = page.getByLabel("Name", { exact: true });
  const image = page.getByLabel("Image URL (optional)");
  const save = page.getByRole("button", { name: "Save profile" });
  await expect(name).toHaveValue(person.name);
  // The stand-in's avatar is served over http, which a picture may not be: none was taken.
  await expect(image).toHaveValue("");

  await name.fill(newName);
  await image.fill("http://example.test/me.png");
  const posts: string[] = [];
  const countPost = (request: Request) => {
    if (request.method() === "POST") posts.push(request.url());
  };
  if (javaScriptEnabled) {
    // The browser checks the form with the server's rules and sends nothing.
    page.on("request", countPost);
    await save.click();
  } else {
    const response = await submitAndRespond(page, save, "/settings");
    expect(response.status()).toBe(400);
  }
  await expect(image).toHaveAttribute("aria-invalid", "true");
  await expect(image).toHaveAccessibleDescription(/Enter an https:\/\/ URL of an image/);
  page.off("request", countPost);
  expect(posts).toEqual([]);
  await expect(name).toHaveValue(newName);
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText(person.name);

  await image.fill("https://example.test/me.png");
  await save.click();
  await expect(flash(page, "Profile saved")).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toHaveText(newName);
  await expect(name).toHaveValue(newName);
  await expect(image).toHaveValue("https://example.test/me.png");
  await expect(image).not.toHaveAttribute("aria-invalid", "true");
  await expect(
    page.getByRole("banner").locator('img[src="https://example.test/me.png"]'),
  ).toHaveCount(1);

  await page.getByLabel("New email address").fill(newAddress);
  await page.getByRole("button", { name: "Change email address" }).click();
  await expect(flash(page, `We sent a link to ${newAddress}`)).toBeVisible();
  await expect(
    page.getByText(`Waiting for you to open the link we sent to ${newAddress}.`),
  ).toBeVisible();
  // Until the link is opened, the old address stays.
  await expect(page.getByText(`Your email address is ${person.email} (verified).`)).toBeVisible();

  await openMailLink(page, newAddress, /new email address/i, "/verify-email");
  await expect(page.getByRole("heading", { name: "Confirm your new email address" })).toBeVisible();
  await page.getByRole("button", { name: "Confirm email address" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(flash(page, `Your email address is now ${newAddress}.`)).toBeVisible();
  await expect(page.getByText(`Your email address is ${newAddress} (verified).`)).toBeVisible();
  await expect(page.getByText("Waiting for you to open the link")).toHaveCount(0);
  await expect(page.getByTestId("signed-in-user")).toHaveText(newName);
  // The old address is told where the account went.
  const notice = await mailTo(person.email, /^The email address of your SMTG Notion account/);
  expect(notice.text).toContain(`Your SMTG Notion account now uses ${newAddress} instead`);
});

test("a password account confirms an email change with its password, and can cancel it", async ({
  page,
}) => {
  const person = await signUpWithPassword(page, newAccount("mover"));
  const newAddress = newAccount("moved").email;
  await page.goto("/settings");
  const email = page.getByLabel("New email address");
  const current = page.getByLabel("Current password");
  const change = page.getByRole("button", { name: "Change email address" });

  await email.fill(newAddress);
  await current.fill(`${person.password}-wrong`);
  const refused = await submitAndRespond(page, change, "/settings");
  expect(refused.status()).toBe(400);
  await expect(current).toHaveAccessibleDescription("This is not your current password");
  await expect(current).toHaveValue("");
  await expect(email).toHaveValue(newAddress);
  await expect(page.getByText("Waiting for you to open the link")).toHaveCount(0);

  await current.fill(person.password);
  await change.click();
  await expect(flash(page, `We sent a link to ${newAddress}`)).toBeVisible();
  const waiting = page.getByText(`Waiting for you to open the link we sent to ${newAddress}.`);
  await expect(waiting).toBeVisible();

  await page.getByRole("button", { name: "Cancel the change" }).click();
  await expect(flash(page, "Email change cancelled.")).toBeVisible();
  await expect(waiting).toHaveCount(0);
  // The mailed link no longer works, and the address stays.
  await openMailLink(page, newAddress, /new email address/i, "/verify-email");
  await expect(page.getByRole("heading", { name: "This link does not work" })).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByText(`Your email address is ${person.email}`)).toBeVisible();
});

test("another user's session cannot be signed out", async ({ page, browser, baseURL }) => {
  const person = await signIn(page, newPerson("owner"));
  const ownerContext = await browser.newContext();
  const intruderContext = await browser.newContext();
  try {
    // The owner signs in in a second browser too, and sees both sessions in the first.
    const second = await ownerContext.newPage();
    await signIn(second, person);
    await page.goto("/settings/sessions");
    const sessions = page.getByTestId("session");
    await expect(sessions).toHaveCount(2);
    const sessionId = await sessions
      .filter({ hasNotText: "This device" })
      .locator("input[name=sessionId]")
      .inputValue();
    expect(sessionId).not.toBe("");

    // Another user sends the owner's revoke form with that id, from the app's own origin.
    const intruder = await intruderContext.newPage();
    await signIn(intruder, newPerson("intruder"));
    const response = await intruder.request.post("/settings/sessions", {
      form: { intent: "revoke", sessionId },
      headers: { Origin: new URL(baseURL!).origin },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(404);

    await page.reload();
    await expect(sessions).toHaveCount(2);
    await second.goto("/settings/sessions");
    await expect(second.getByTestId("signed-in-user")).toHaveText(person.name);
    await expect(second.getByTestId("session")).toHaveCount(2);
  } finally {
    await intruderContext.close();
    await ownerContext.close();
  }
});

test("deleting the account takes the typed email, signs out every device, and then its password no longer works", async ({
  page,
  browser,
  javaScriptEnabled,
}) => {
  const person = await signUpWithPassword(page, newAccount("delete"));
  await page.goto("/settings");
  await page
    .getByRole("navigation", { name: "Settings" })
    .getByRole("link", {
      name: "Delete account",
    })
    .click();
  const confirmation = page.getByLabel(`Type ${person.email} to confirm`);
  const deleteButton = page.getByRole("button", { name: "Delete my account" });

  await confirmation.fill(`not-${person.email}`);
  if (javaScriptEnabled) {
    await deleteButton.click();
  } else {
    const response = await submitAndRespond(page, deleteButton, "/settings/delete");
    expect(response.status()).toBe(400);
  }
  await expect(confirmation).toHaveAccessibleDescription(`Type ${person.email} exactly to confirm`);
  await expect(page).toHaveURL(/\/settings\/delete$/);
  await expect(page.getByTestId("signed-in-user")).toHaveText(person.name);

  // Signed in on another device too: that session goes with the account.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signInWithPassword(other, person);

  await confirmation.fill(person.email);
  await deleteButton.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(flash(page, "Your account and everything in it were deleted.")).toBeVisible();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
  await other.goto("/settings");
  await expect(other).toHaveURL(/\/login\?redirectTo=%2Fsettings$/);
  await otherContext.close();

  await expectPasswordRefused(page, person.email, person.password);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fsettings$/);
});
