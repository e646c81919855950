import type { DirectoryUser } from '../state/directory.js'
import type { ApplicationSeed } from '../state/seed.js'
import { escapeHtml, page } from './login-page.js'

/**
 * The pages of `/devicelogin`, worded as Microsoft's: enter the code, (pick an account on the shared account
 * picker), confirm the app, done. Small forms, no script.
 */

/** "Enter code": where the person types the code the device printed. */
export function enterCodePage(notice: string | null): string {
  return page(
    'Enter code',
    `<h1>Enter code</h1>
<p id="hint">Enter the code displayed on your app or device.</p>
${notice ? `<p class="notice" role="alert">${escapeHtml(notice)}</p>` : ''}
<form method="post" action="/devicelogin">
<label for="otc">Code</label>
<input id="otc" name="otc" autocomplete="off" autocapitalize="characters" spellcheck="false" required aria-describedby="hint">
<button type="submit">Next</button>
</form>`,
  )
}

/** "Are you trying to sign in to …?": the last step, where the person may still refuse. */
export function confirmPage(input: {
  client: ApplicationSeed
  user: DirectoryUser
  userCode: string
}): string {
  const { client, user, userCode } = input
  const mfa = user.requiresMfa
    ? '<p>Your organization requires multi-factor authentication for this sign-in; continuing approves it.</p>'
    : ''
  return page(
    'Sign in to your account',
    `<h1>Are you trying to sign in to ${escapeHtml(client.displayName)}?</h1>
<p>${escapeHtml(user.userPrincipalName)}</p>
<p>Only continue if you downloaded the app from a store or website that you trust.</p>
${mfa}
<form method="post" action="/devicelogin/confirm">
<input type="hidden" name="otc" value="${escapeHtml(userCode)}">
<input type="hidden" name="user" value="${escapeHtml(user.id)}">
<button type="submit" name="decision" value="continue">Continue</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form>`,
  )
}

/** The closing page, after the person continued or cancelled. */
export function finishedPage(client: ApplicationSeed, approved: boolean): string {
  const text = approved
    ? `You have signed in to the ${client.displayName} application on your device. You may now close this window.`
    : `You have declined to sign in to the ${client.displayName} application on your device. You may now close this window.`
  return page(
    client.displayName,
    `<h1>${escapeHtml(client.displayName)}</h1>
<p role="status">${escapeHtml(text)}</p>`,
  )
}
