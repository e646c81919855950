/** What the consent page tells the guest about the invitation. */
export interface ReviewPermissionsView {
  organization: string
  /** The tenant's primary (first verified, non-onmicrosoft) domain, shown next to its name as Microsoft does. */
  organizationDomain: string
  inviterName: string | null
  guestEmail: string
  /** The inner redeem URL, posted back when the guest accepts. */
  redeemTarget: string
}

const STYLE = `
  body { font-family: "Segoe UI", system-ui, sans-serif; margin: 0; background: #f2f2f2; color: #1b1b1b; }
  main { max-width: 440px; margin: 48px auto; padding: 44px; background: #fff; box-shadow: 0 2px 6px rgb(0 0 0 / 20%); }
  h1 { font-size: 1.5rem; font-weight: 600; margin: 0 0 16px; }
  h2 { font-size: 1rem; font-weight: 600; margin: 24px 0 8px; }
  p, li { line-height: 1.5; }
  .note { font-size: 0.8125rem; color: #505050; }
  button { margin-top: 24px; min-width: 108px; padding: 6px 12px; font: inherit; color: #fff; background: #0067b8; border: 1px solid #0067b8; cursor: pointer; }
  button:focus-visible { outline: 2px solid #1b1b1b; outline-offset: 2px; }
  @media (forced-colors: active) { button { border-color: ButtonText; } }
`

/** Security headers for the emulator's pages: nothing but the inline style may load. */
export const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

/**
 * The "Review permissions" consent page a guest sees when opening an invitation link, with an Accept button
 * that posts the redeem target back. Every value is HTML-escaped.
 */
export function renderReviewPermissionsPage(view: ReviewPermissionsView): string {
  const organization = escapeHtml(view.organization)
  const invitedBy = view.inviterName
    ? `${escapeHtml(view.inviterName)} from ${organization} invited you`
    : `${organization} invited you`
  return page(
    'Review permissions',
    `<p>${escapeHtml(view.guestEmail)}</p>
    <h1 id="page-title">Review permissions</h1>
    <p>${invitedBy} to access their organization's applications.</p>
    <h2 id="permissions-heading">${organization} (${escapeHtml(view.organizationDomain)}) would like to:</h2>
    <ul aria-labelledby="permissions-heading">
      <li>Sign you in</li>
      <li>Read your name, email address, and photo</li>
    </ul>
    <p class="note">You should only accept if you trust ${organization}. By accepting, you allow this organization to
    access and process your data to create, control, and administer an account according to their policies.
    ${organization} has not provided links to their terms for you to review.</p>
    <form method="post" action="/redeem" aria-labelledby="page-title">
      <input type="hidden" name="rd" value="${escapeHtml(view.redeemTarget)}">
      <button type="submit">Accept</button>
    </form>
    <p class="note">Served by the entra-share emulator in place of Microsoft's invitation redemption.</p>`,
  )
}

/** The page for a link that is malformed, unknown or whose ticket does not match. */
export function renderInvalidInvitationPage(): string {
  return page(
    'Invitation link not valid',
    `<h1 id="page-title">This invitation link isn't valid</h1>
    <p>The link may be incomplete or may not belong to this emulator. Ask the person who invited you to send a new
    invitation, then open the new link.</p>`,
  )
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>${STYLE}</style>
</head>
<body>
  <main aria-labelledby="page-title">
    ${body}
  </main>
</body>
</html>
`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
