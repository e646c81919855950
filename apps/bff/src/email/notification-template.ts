import { BRAND_COLOR, DEFAULT_EMAIL_BRANDING, type EmailBranding } from './branding.js'
import { EMAIL_STYLE, emailButton, emailDocument, emailLinkColor } from './email-layout.js'
import { escapeHtml, fill, oneLine, oneLineValue, webAddress } from './invitation-template.js'
import { type EmailLocale, resolveEmailLocale } from './locales.js'

/**
 * The governance notifications the BFF sends in email mode `smtp`, with the invitation email's branding (app name,
 * logo, colour, app URL) and languages (`en`, `de`, `fr`, `ja`, `ar`): to approvers when a request waits for them,
 * to the sponsor before an access ends and when a periodic review asks them to keep or remove a guest.
 */

/** What a notification is about. */
export type NotificationKind = 'approvalRequested' | 'expiring' | 'reviewRequested'

/** One notification to one person. */
export interface NotificationEmail {
  kind: NotificationKind
  to: string
  /** The recipient's name, for the greeting. */
  recipientName: string | null
  /** The guest, by name and address. */
  guest: { name: string | null; email: string }
  /** `approvalRequested`: who asked (`null`: unknown) and why. */
  requesterName?: string | null
  reason?: string | null
  /** The date that matters: the request's deadline, the access's end, the review's deadline. */
  dueAt: string
  /** `reviewRequested`: what happens without an answer. */
  reviewDefault?: 'keep' | 'remove'
  /** The recipient's language (their `preferredLanguage`, BCP 47); anything the email is not written in is `en`. */
  locale?: string | readonly string[] | null
}

/** The rendered parts of one notification. */
export interface RenderedNotification {
  locale: EmailLocale
  subject: string
  text: string
  html: string
}

/** Everything a notification says, in one language. Placeholders: `{name}`, `{requester}`, `{guest}`, `{date}`, `{reason}`, `{app}`. */
export interface NotificationStrings {
  dir: 'ltr' | 'rtl'
  /** A named person as the language writes them (`{name}`). */
  person: string
  /** The requester when their name is unknown. */
  someone: string
  greetingNamed: string
  greeting: string
  approvalSubject: string
  approvalIntro: string
  reason: string
  expiringSubject: string
  expiringIntro: string
  reviewSubject: string
  reviewIntro: string
  reviewDefaultKeep: string
  reviewDefaultRemove: string
  /** The button and the text part's line above the app's URL. */
  open: string
  openUnnamed: string
  automatic: string
}

/** French puts a no-break space before a colon. */
const NBSP = '\u00a0'

export const notificationStrings: Record<EmailLocale, NotificationStrings> = {
  en: {
    dir: 'ltr',
    person: '{name}',
    someone: 'Someone in your organization',
    greetingNamed: 'Hello {name},',
    greeting: 'Hello,',
    approvalSubject: '{requester} asks to invite {guest}',
    approvalIntro:
      '{requester} asks to invite {guest} as a guest. Please approve or deny the request by {date}.',
    reason: 'Reason: {reason}',
    expiringSubject: 'The guest access of {guest} ends on {date}',
    expiringIntro:
      'The guest access you gave {guest} ends on {date}. If it is still needed, you can extend it once.',
    reviewSubject: 'Review the guest access of {guest}',
    reviewIntro: 'Please confirm by {date} whether {guest} still needs the guest access you gave.',
    reviewDefaultKeep: 'Without an answer, the access is kept.',
    reviewDefaultRemove: 'Without an answer, the access is removed.',
    open: 'Open {app}',
    openUnnamed: 'Open the app',
    automatic: 'This email was sent automatically.',
  },
  de: {
    dir: 'ltr',
    person: '{name}',
    someone: 'Eine Person aus Ihrer Organisation',
    greetingNamed: 'Guten Tag {name},',
    greeting: 'Guten Tag,',
    approvalSubject: '{requester} möchte {guest} als Gast einladen',
    approvalIntro:
      '{requester} möchte {guest} als Gast einladen. Bitte genehmigen oder lehnen Sie die Anfrage bis {date} ab.',
    reason: 'Begründung: {reason}',
    expiringSubject: 'Der Gastzugang von {guest} endet am {date}',
    expiringIntro:
      'Der Gastzugang, den Sie {guest} gegeben haben, endet am {date}. Wird er weiter benötigt, können Sie ihn einmal verlängern.',
    reviewSubject: 'Bitte überprüfen Sie den Gastzugang von {guest}',
    reviewIntro:
      'Bitte bestätigen Sie bis {date}, ob {guest} den Gastzugang, den Sie gegeben haben, weiterhin benötigt.',
    reviewDefaultKeep: 'Ohne Antwort bleibt der Zugang bestehen.',
    reviewDefaultRemove: 'Ohne Antwort wird der Zugang entfernt.',
    open: '{app} öffnen',
    openUnnamed: 'Anwendung öffnen',
    automatic: 'Diese E-Mail wurde automatisch gesendet.',
  },
  // "l’accès invité que vous avez accordé à {guest}" keeps the guest's gender out of the agreement.
  fr: {
    dir: 'ltr',
    person: '{name}',
    someone: 'Une personne de votre organisation',
    greetingNamed: 'Bonjour {name},',
    greeting: 'Bonjour,',
    approvalSubject: '{requester} demande à inviter {guest}',
    approvalIntro:
      '{requester} demande à inviter {guest} avec un accès invité. Veuillez approuver ou refuser la demande avant le {date}.',
    reason: `Motif${NBSP}: {reason}`,
    expiringSubject: 'L’accès invité de {guest} prend fin le {date}',
    expiringIntro:
      'L’accès invité que vous avez accordé à {guest} prend fin le {date}. S’il reste nécessaire, vous pouvez le prolonger une fois.',
    reviewSubject: 'Vérifiez l’accès invité de {guest}',
    reviewIntro:
      'Veuillez confirmer avant le {date} si l’accès invité que vous avez accordé à {guest} reste nécessaire.',
    reviewDefaultKeep: 'Sans réponse, l’accès est conservé.',
    reviewDefaultRemove: 'Sans réponse, l’accès est retiré.',
    open: 'Ouvrir {app}',
    openUnnamed: 'Ouvrir l’application',
    automatic: 'Cet e-mail a été envoyé automatiquement.',
  },
  // Polite form, as the invitation email: the requester is "{name} さん", the recipient "{name} 様".
  ja: {
    dir: 'ltr',
    person: '{name} さん',
    someone: '組織内のユーザー',
    greetingNamed: '{name} 様',
    greeting: 'こんにちは。',
    approvalSubject: '{requester}から {guest} の招待申請が届いています',
    approvalIntro:
      '{requester}から、{guest} をゲストとして招待する申請が届いています。{date} までに承認または却下してください。',
    reason: '理由：{reason}',
    expiringSubject: '{guest} のゲスト アクセスは {date} に終了します',
    expiringIntro:
      'あなたが {guest} に付与したゲスト アクセスは {date} に終了します。引き続き必要な場合は、1 回だけ延長できます。',
    reviewSubject: '{guest} のゲスト アクセスを確認してください',
    reviewIntro:
      'あなたが {guest} に付与したゲスト アクセスが引き続き必要かどうか、{date} までに確認してください。',
    reviewDefaultKeep: '回答がない場合、アクセスは維持されます。',
    reviewDefaultRemove: '回答がない場合、アクセスは削除されます。',
    open: '{app} を開く',
    openUnnamed: 'アプリを開く',
    automatic: 'このメールは自動送信されています。',
  },
  // Modern Standard Arabic; noun phrases keep the requester's and the guest's gender out of the verbs.
  ar: {
    dir: 'rtl',
    person: '{name}',
    someone: 'أحد أعضاء مؤسستك',
    greetingNamed: 'مرحبًا {name}،',
    greeting: 'مرحبًا،',
    approvalSubject: 'طلب من {requester} لدعوة {guest}',
    approvalIntro:
      'تلقيت طلبًا من {requester} لدعوة {guest} بصفة ضيف. يُرجى الموافقة على الطلب أو رفضه قبل {date}.',
    reason: 'السبب: {reason}',
    expiringSubject: 'ينتهي وصول الضيف {guest} في {date}',
    expiringIntro:
      'ينتهي وصول الضيف الذي منحته إلى {guest} في {date}. إذا كان الوصول لا يزال مطلوبًا، يمكنك تمديده مرة واحدة.',
    reviewSubject: 'مراجعة وصول الضيف {guest}',
    reviewIntro: 'يُرجى التأكيد قبل {date} ما إذا كان وصول الضيف الذي منحته إلى {guest} لا يزال مطلوبًا.',
    reviewDefaultKeep: 'في حال عدم الرد، يبقى الوصول قائمًا.',
    reviewDefaultRemove: 'في حال عدم الرد، تتم إزالة الوصول.',
    open: 'فتح {app}',
    openUnnamed: 'فتح التطبيق',
    automatic: 'تم إرسال هذه الرسالة تلقائيًا.',
  },
}

/** How the wording and the inserted values are written into one part (as in the invitation email). */
interface Encoding {
  literal(text: string): string
  value(text: string): string
}
const PLAIN: Encoding = { literal: (text) => text, value: (text) => text }
const ISOLATED: Encoding = { literal: (text) => text, value: (text) => `\u2068${text}\u2069` }
const HTML: Encoding = { literal: escapeHtml, value: (text) => `<bdi>${escapeHtml(text)}</bdi>` }

/**
 * A notification in the recipient's language, branded as the invitation email: subject, plain-text part and HTML
 * part. Every inserted value is made one line, escaped for its part and isolated (`<bdi>`, or U+2068 … U+2069 in a
 * right-to-left language's subject and text); the reason keeps no line breaks and never becomes a link. The only
 * link is the app's URL (`branding.appUrl`, http(s) only), where the recipient decides.
 *
 * @example
 * renderNotification({ kind: 'reviewRequested', to, recipientName: 'Megan', guest: { name: 'Ada', email },
 *   dueAt: '2027-01-15T00:00:00Z', reviewDefault: 'remove', locale: 'de' }, { appName: 'Contoso Projects' }).subject
 * // 'Bitte überprüfen Sie den Gastzugang von Ada (ada@fabrikam.example)'
 */
export function renderNotification(
  email: NotificationEmail,
  branding: Partial<EmailBranding> = {},
): RenderedNotification {
  const locale = resolveEmailLocale(email.locale)
  const t = notificationStrings[locale]
  const plain = t.dir === 'rtl' ? ISOLATED : PLAIN
  const subject = oneLine(sentences(email, branding, t, plain, locale).subject)
  const text = textPart(sentences(email, branding, t, plain, locale))
  const html = htmlPart(sentences(email, branding, t, HTML, locale), branding, t, locale, subject)
  return { locale, subject, text, html }
}

interface Sentences {
  subject: string
  greeting: string
  intro: string
  reason: string | null
  consequence: string | null
  open: string
  appUrl: string | null
  automatic: string
}

function sentences(
  email: NotificationEmail,
  branding: Partial<EmailBranding>,
  t: NotificationStrings,
  encoding: Encoding,
  locale: EmailLocale,
): Sentences {
  const say = (template: string, values: Record<string, string> = {}) =>
    fill(template, values, encoding.literal)
  const guestName = oneLineValue(email.guest.name)
  const guestEmail = oneLineValue(email.guest.email) ?? ''
  const values = {
    guest: encoding.value(guestName ? `${guestName} (${guestEmail})` : guestEmail),
    date: encoding.value(formatDate(email.dueAt, locale)),
    requester: (() => {
      const name = oneLineValue(email.requesterName)
      return name ? say(t.person, { name: encoding.value(name) }) : say(t.someone)
    })(),
  }
  const [subject, intro] =
    email.kind === 'approvalRequested'
      ? [t.approvalSubject, t.approvalIntro]
      : email.kind === 'expiring'
        ? [t.expiringSubject, t.expiringIntro]
        : [t.reviewSubject, t.reviewIntro]
  const recipient = oneLineValue(email.recipientName)
  const reason = email.kind === 'approvalRequested' ? oneLineValue(email.reason) : null
  const app = oneLineValue(branding.appName)
  return {
    subject: say(subject, values),
    greeting: recipient ? say(t.greetingNamed, { name: encoding.value(recipient) }) : say(t.greeting),
    intro: say(intro, values),
    reason: reason ? say(t.reason, { reason: encoding.value(reason) }) : null,
    consequence:
      email.kind === 'reviewRequested' && email.reviewDefault
        ? say(email.reviewDefault === 'keep' ? t.reviewDefaultKeep : t.reviewDefaultRemove)
        : null,
    open: app ? say(t.open, { app: encoding.value(app) }) : say(t.openUnnamed),
    appUrl: webAddress(branding.appUrl, false),
    automatic: say(t.automatic),
  }
}

/** The date in the recipient's language, in UTC (the BFF does not know the recipient's time zone). */
function formatDate(iso: string, locale: EmailLocale): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(date)} UTC`
}

function textPart(w: Sentences): string {
  const lines = [w.greeting, '', w.intro]
  if (w.reason) lines.push(w.reason)
  if (w.consequence) lines.push('', w.consequence)
  if (w.appUrl) lines.push('', `${w.open}:`, w.appUrl)
  lines.push('', w.automatic)
  return `${lines.join('\n')}\n`
}

function htmlPart(
  w: Sentences,
  branding: Partial<EmailBranding>,
  t: NotificationStrings,
  locale: EmailLocale,
  subject: string,
): string {
  const color = branding.brandColor
  const brand = color && BRAND_COLOR.test(color) ? color.toLowerCase() : DEFAULT_EMAIL_BRANDING.brandColor
  const button = w.appUrl
    ? `${emailButton(w.appUrl, w.open, brand)}
<p style="${EMAIL_STYLE.small}"><a href="${escapeHtml(w.appUrl)}" dir="ltr" style="color:${emailLinkColor(brand)}">${escapeHtml(w.appUrl)}</a></p>`
    : ''
  return emailDocument(
    {
      locale,
      dir: t.dir,
      subject,
      brandColor: brand,
      app: oneLineValue(branding.appName),
      logoUrl: webAddress(branding.logoUrl, true),
    },
    [
      `<p>${w.greeting}</p>`,
      `<p>${w.intro}</p>`,
      w.reason ? `<p>${w.reason}</p>` : '',
      w.consequence ? `<p>${w.consequence}</p>` : '',
      button,
      `<p style="${EMAIL_STYLE.small}">${w.automatic}</p>`,
    ],
  )
}
