/** What the BFF's own invitation email says (email mode `smtp`, when Microsoft's email is suppressed). */
export interface InvitationEmail {
  to: string
  guestDisplayName: string | null
  inviterName: string | null
  inviterEmail: string | null
  inviteRedeemUrl: string
  /** The personal message, already sanitised; `null` for none. */
  message: string | null
  /**
   * The language the request chose: a BCP 47 tag (`de-AT`), or tags in order of preference (`acceptLanguageTags`
   * of an `Accept-Language` header). Matched to `en`, `de`, `fr`, `ja` or `ar`; anything else, or absent, is `en`.
   */
  locale?: string | readonly string[] | null
  /**
   * Where the guest finds the app once they have accepted: the invitation's redirect URL. Shown when
   * `ENTRA_SHARE_EMAIL_APP_URL` is not set (which wins); only an http(s) address is shown.
   */
  appUrl?: string | null
}

/** Sends the BFF's own invitation email. Throws on delivery failure (the caller records it, never loses it). */
export interface InvitationMailer {
  send(email: InvitationEmail): Promise<void>
  close(): Promise<void>
}
