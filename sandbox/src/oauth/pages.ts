/**
 * The sign-in and consent screens. Element ids and classes are a contract: existing browser
 * automation fills `#username` and `#password`, clicks `.btn-primary` to log in, then clicks
 * `.btn-primary` again to allow access (keap.md §1.0). The deny button must not be primary.
 */
import { escapeHtml, layout } from '../html.js';

/** The authorization request, carried from page to page in hidden fields. */
export type HiddenFields = Readonly<Record<string, string | undefined>>;

function hidden(fields: HiddenFields): string {
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => {
      return `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`;
    })
    .join('\n');
}

export function loginPage(fields: HiddenFields, problem?: string): string {
  const notice = problem ? `<p class="error" role="alert">${escapeHtml(problem)}</p>` : '';
  return layout(
    'Keap - Sign in',
    `<h1>Sign in to Keap</h1>
<p>Keap sandbox: any non-empty email and password are accepted.</p>
${notice}
<form method="post" action="/app/oauth/login">
${hidden(fields)}
<label for="username">Email</label>
<input id="username" name="username" type="text" autocomplete="username">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password">
<button class="btn-primary" type="submit">Log in</button>
</form>`,
  );
}

export function consentPage(fields: HiddenFields, appName: string, tenant: string): string {
  return layout(
    'Keap - Allow access',
    `<h1>Allow access?</h1>
<p><strong>${escapeHtml(appName)}</strong> would like full access to your Keap account
<strong>${escapeHtml(tenant)}</strong>.</p>
<form method="post" action="/app/oauth/consent">
${hidden(fields)}
<button class="btn-primary" type="submit" name="allow" value="allow">Allow</button>
<button class="btn-secondary" type="submit" name="deny" value="deny">Deny</button>
</form>`,
  );
}
