import { expect, test, type Page } from "@playwright/test";
import { TEST_INSTANCE_SETUP_TOKEN } from "../scripts/test-instance-settings";
import { watchCspViolations } from "./support/csp";

/**
 * The foundation from a user's point of view, on a fresh instance (no accounts, TALLY_SIGNUP=invite):
 * first-run setup, projects, invite links, API tokens shown once, the audit log, and what a viewer
 * may (not) do.
 */

const ADMIN = { email: "admin@example.com", name: "Ada Admin", password: "correct horse battery" };
const VIEWER = { email: "viewer@example.com", name: "Vic Viewer", password: "viewer password 123" };
const PROJECT = { name: "Vision Models", slug: "vision-models" };

test.use({ actionTimeout: 15_000 });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test("setup, project, invite, token shown once, audit, viewer restrictions, role change", async ({ page, browser, request, baseURL }) => {
  test.setTimeout(180_000);
  const projectUrl = `/projects/${PROJECT.slug}`;
  let inviteLink = "";
  let plaintext = "";
  const cspViolations = watchCspViolations(page.context());

  await test.step("first visit lands on setup; create the administrator with the setup token", async () => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/setup$/);
    await expect(page.getByRole("heading", { name: "Welcome to Tally" })).toBeVisible();
    await shot(page, "setup");
    await page.getByLabel("Setup token").fill("not-the-setup-token");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Name").fill(ADMIN.name);
    await page.getByLabel("Password", { exact: true }).fill(ADMIN.password);
    await page.getByLabel("Confirm password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create administrator account" }).click();
    // Whoever reaches a fresh instance first, without the token from the server log, gets nothing.
    await expect(page.getByRole("main").getByRole("alert")).toContainText("The setup token is missing or wrong");
    await expect(page).toHaveURL(/\/setup$/);
    await page.getByLabel("Setup token").fill(TEST_INSTANCE_SETUP_TOKEN);
    await page.getByRole("button", { name: "Create administrator account" }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await expect(page.getByTestId("current-user")).toHaveText(ADMIN.email);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  });

  await test.step("create a project (slug suggested from the name)", async () => {
    await page.getByLabel("Project name").fill(PROJECT.name);
    await expect(page.getByLabel("Slug")).toHaveValue(PROJECT.slug);
    await shot(page, "projects-new");
    // Server-side validation errors are shown next to the form.
    await page.getByLabel("Slug").fill("-Bad Slug");
    await page.getByRole("button", { name: "Create project" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("Slug may contain lowercase letters");
    await page.getByLabel("Slug").fill(PROJECT.slug);
    await page.getByRole("button", { name: "Create project" }).click();
    await expect(page).toHaveURL(new RegExp(`${projectUrl}$`));
    await expect(page.getByRole("heading", { level: 1, name: PROJECT.name })).toBeVisible();
    await expect(page.getByText(`export MLFLOW_TRACKING_URI=${baseURL}${projectUrl}`)).toBeVisible();
    await expect(page.getByText("mlflow.start_run", { exact: false })).toBeVisible();
    await expect(page.getByRole("link", { name: "Create a token" })).toBeVisible();
    await expect(page.getByTestId("member-count")).toHaveText("1 member");
    await shot(page, "project-home");
  });

  await test.step("create an invite link for a viewer", async () => {
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Settings" }).click();
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Members" }).click();
    await expect(page).toHaveURL(new RegExp(`${projectUrl}/settings/members$`));
    await expect(page.getByRole("table", { name: "Members" }).getByText(ADMIN.email)).toBeVisible();
    await page.getByLabel("Invite role").selectOption("VIEWER");
    await page.getByRole("button", { name: "Create invite link" }).click();
    const link = page.getByTestId("invite-link");
    await expect(link).toContainText("/invite/");
    inviteLink = (await link.textContent())?.trim() ?? "";
    expect(inviteLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invite\/[\w-]+$/);
    await expect(page.getByRole("table", { name: "Pending invites" }).getByText("Viewer")).toBeVisible();
    await shot(page, "members-settings");
  });

  await test.step("create an API token: the plaintext is shown once", async () => {
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API tokens" }).click();
    await expect(page).toHaveURL(new RegExp(`${projectUrl}/settings/tokens$`));
    await page.getByLabel("Token name").fill("training-cluster");
    await page.getByRole("checkbox", { name: /^read\b/ }).check();
    await page.getByRole("checkbox", { name: /^write\b/ }).check();
    await expect(page.getByRole("checkbox", { name: /^promote\b/ })).not.toBeChecked();
    await page.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByTestId("new-token");
    await expect(shown).toHaveText(/^tly_/);
    plaintext = (await shown.textContent())?.trim() ?? "";
    await expect(page.getByText("It will not be shown again")).toBeVisible();
    const row = page.getByRole("table", { name: "API tokens" }).getByRole("row", { name: /training-cluster/ });
    await expect(row).toContainText("read");
    await expect(row).toContainText("write");
    await shot(page, "token-shown-once");

    await page.reload();
    await expect(page.getByRole("table", { name: "API tokens" }).getByRole("row", { name: /training-cluster/ })).toContainText(
      "never",
    );
    await expect(page.getByTestId("new-token")).toHaveCount(0);
    expect(await page.content()).not.toContain(plaintext);
  });

  await test.step("the token works over REST, then stops working once revoked in the UI", async () => {
    const auth = { Authorization: `Bearer ${plaintext}` };
    const before = await request.get("/api/v1/whoami", { headers: auth });
    expect(before.status()).toBe(200);
    expect((await before.json()).project.slug).toBe(PROJECT.slug);

    await page.getByRole("button", { name: "Revoke training-cluster" }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke token?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("No active tokens.")).toBeVisible();

    const after = await request.get("/api/v1/whoami", { headers: auth });
    expect(after.status()).toBe(401);
  });

  await test.step("the audit log shows the token's creation and revocation", async () => {
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Audit log" }).click();
    const events = page.getByRole("table", { name: "Audit events" });
    await expect(events.getByText("token.revoke", { exact: true })).toBeVisible();
    await expect(events.getByText("token.create", { exact: true })).toBeVisible();
    await expect(events.getByText("invite.create", { exact: true })).toBeVisible();
    await expect(events.getByText("project.create", { exact: true })).toBeVisible();
    await shot(page, "audit-log");
  });

  await test.step("sign out", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByRole("heading", { name: "Sign in to Tally" })).toBeVisible();
    // Sign-up is invite-only on this instance: no open sign-up link.
    await expect(page.getByRole("link", { name: "Sign up" })).toHaveCount(0);
  });

  const viewerContext = await browser.newContext({ baseURL });
  const viewerCspViolations = watchCspViolations(viewerContext);
  const viewer = await viewerContext.newPage();

  await test.step("a stranger opens the invite link and signs up with it", async () => {
    await viewer.goto(inviteLink);
    await expect(viewer.getByRole("heading", { name: `Join ${PROJECT.name}` })).toBeVisible();
    await expect(viewer.getByText("Viewer", { exact: true })).toBeVisible();
    await viewer.getByRole("link", { name: "Sign up with this invite" }).click();
    await expect(viewer).toHaveURL(/\/signup\?invite=/);
    await viewer.getByLabel("Email").fill(VIEWER.email);
    await viewer.getByLabel("Name").fill(VIEWER.name);
    await viewer.getByLabel("Password", { exact: true }).fill(VIEWER.password);
    await viewer.getByLabel("Confirm password").fill(VIEWER.password);
    await viewer.getByRole("button", { name: `Sign up and join ${PROJECT.name}` }).click();
    await expect(viewer).toHaveURL(new RegExp(`${projectUrl}$`));
    await expect(viewer.getByTestId("current-user")).toHaveText(VIEWER.email);
    await expect(viewer.getByRole("heading", { level: 1, name: PROJECT.name })).toBeVisible();
  });

  await test.step("a viewer sees the project read-only", async () => {
    await expect(viewer.getByRole("link", { name: "Create a token" })).toHaveCount(0);
    await expect(viewer.getByText("Ask a maintainer or owner")).toBeVisible();

    await viewer.goto(`${projectUrl}/settings/members`);
    const members = viewer.getByRole("table", { name: "Members" });
    await expect(members.getByText(ADMIN.email)).toBeVisible();
    await expect(members.getByText(VIEWER.email)).toBeVisible();
    await expect(viewer.getByRole("combobox")).toHaveCount(0);
    await expect(viewer.getByRole("button", { name: "Remove", exact: false })).toHaveCount(0);
    await expect(viewer.getByRole("button", { name: "Leave project" })).toBeVisible();
    await expect(viewer.getByRole("button", { name: "Add member" })).toHaveCount(0);
    await expect(viewer.getByRole("button", { name: "Create invite link" })).toHaveCount(0);
    await expect(viewer.getByRole("table", { name: "Pending invites" })).toHaveCount(0);
    const settingsNav = viewer.getByRole("navigation", { name: "Settings" });
    await expect(settingsNav.getByRole("link", { name: "Members" })).toBeVisible();
    await expect(settingsNav.getByRole("link", { name: "API tokens" })).toHaveCount(0);
    await shot(viewer, "viewer-members");

    await viewer.goto(`${projectUrl}/settings`);
    await expect(viewer.getByText(PROJECT.slug, { exact: true }).first()).toBeVisible();
    await expect(viewer.getByRole("textbox")).toHaveCount(0);
    await expect(viewer.getByRole("button", { name: "Save" })).toHaveCount(0);
    await expect(viewer.getByRole("button", { name: "Delete this project" })).toHaveCount(0);

    await viewer.goto(`${projectUrl}/settings/tokens`);
    await expect(viewer.getByRole("heading", { name: "Not available" })).toBeVisible();
    await expect(viewer.getByRole("button", { name: "Create token" })).toHaveCount(0);
  });
  await viewerContext.close();
  expect(viewerCspViolations, "Content Security Policy violations").toEqual([]);

  await test.step("back as admin: make the viewer a member", async () => {
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Wrong email or password");
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/projects$/);
    await expect(page.getByRole("table", { name: "Projects" }).getByRole("row", { name: new RegExp(PROJECT.name) })).toContainText(
      "2",
    );
    await shot(page, "projects-list");
    await page.goto(`${projectUrl}/settings/members`);
    const roleSelect = page.getByLabel(`Role of ${VIEWER.email}`);
    await expect(roleSelect).toHaveValue("VIEWER");
    const saved = page.waitForResponse((response) => response.url().includes("members.changeRole") && response.ok());
    await roleSelect.selectOption("MEMBER");
    await saved;
    await page.reload();
    await expect(page.getByLabel(`Role of ${VIEWER.email}`)).toHaveValue("MEMBER");
    await expect(page.getByLabel(`Role of ${VIEWER.email}`).locator("option:checked")).toHaveText("Member");
  });
  expect(cspViolations, "Content Security Policy violations").toEqual([]);
});
