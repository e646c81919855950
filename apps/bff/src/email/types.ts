/** What the BFF's own invitation email says (email mode `smtp`, when Microsoft's email is suppressed). */
export interface InvitationEmail {
  to: string
  guestDisplayName: string | null
  inviterName: string | null
  inviterEmail: string | null
  inviteRedeemUrl: string
  /** The personal message, already sanitised; `null` for none. */
  message: string | null
}

/** Sends the BFF's own invitation email. Throws on delivery failure (the caller records it, never loses it). */
export interface InvitationMailer {
  send(email: InvitationEmail): Promise<void>
  close(): Promise<void>
}
