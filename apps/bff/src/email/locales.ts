/**
 * The languages of the BFF's own invitation email and their wording. Each string is a template whose `{placeholders}`
 * the renderer fills (and escapes): `{inviter}`, `{app}`, `{guest}`, `{name}`, `{email}`. Only those listed on a
 * field appear in it; `test/email/locales.test.ts` checks every language against English.
 */

/** The languages the invitation email is written in; `en` is the fallback. */
export const emailLocales = ['en', 'de', 'fr', 'ja', 'ar'] as const
export type EmailLocale = (typeof emailLocales)[number]

/** One phrase in the four situations: inviter known or not, app name configured or not. */
export interface InvitationVariants {
  /** `{inviter}` and `{app}` */
  inviterAndApp: string
  /** `{inviter}` */
  inviter: string
  /** `{app}` */
  app: string
  /** no placeholder */
  neither: string
}

/** Everything the invitation email says, in one language. */
export interface InvitationStrings {
  /** The writing direction (`ar` is right-to-left). */
  dir: 'ltr' | 'rtl'
  /** The inviter by name (`{name}`), by address only (`{email}`), and both (the body's first sentence). */
  inviterName: string
  inviterAddress: string
  inviterNameAndAddress: string
  subject: InvitationVariants
  /** The first sentence: who invited the guest to what. */
  intro: InvitationVariants
  /** `{guest}` */
  greetingNamed: string
  greeting: string
  /** Above the personal message: `{inviter}`, or no placeholder when the inviter is unknown. */
  messageFrom: string
  message: string
  /** The text part's line above the redeem URL. */
  acceptPrompt: string
  /** The HTML part's button. */
  acceptButton: string
  /** The HTML part's line above the redeem URL written out. */
  copyHint: string
  /** Above the app's URL: `{app}`, or no placeholder when no app name is configured. */
  appUrl: string
  appUrlUnnamed: string
  ignore: string
}

/** French puts a no-break space before a colon. */
const NBSP = '\u00a0'

export const invitationStrings: Record<EmailLocale, InvitationStrings> = {
  en: {
    dir: 'ltr',
    inviterName: '{name}',
    inviterAddress: '{email}',
    inviterNameAndAddress: '{name} ({email})',
    subject: {
      inviterAndApp: '{inviter} invited you to {app}',
      inviter: '{inviter} invited you to collaborate',
      app: 'Invitation to {app}',
      neither: 'Invitation to collaborate',
    },
    intro: {
      inviterAndApp: '{inviter} invited you to {app} as a guest.',
      inviter: '{inviter} invited you to collaborate as a guest.',
      app: 'You have been invited to {app} as a guest.',
      neither: 'You have been invited to collaborate as a guest.',
    },
    greetingNamed: 'Hello {guest},',
    greeting: 'Hello,',
    messageFrom: 'Message from {inviter}:',
    message: 'Personal message:',
    acceptPrompt: 'Accept the invitation:',
    acceptButton: 'Accept invitation',
    copyHint: 'If the button does not work, copy this address into your browser:',
    appUrl: 'Once you have accepted, you can open {app} at any time at:',
    appUrlUnnamed: 'Once you have accepted, you can open the app at any time at:',
    ignore: 'If you did not expect this invitation, you can ignore this email.',
  },
  de: {
    dir: 'ltr',
    inviterName: '{name}',
    inviterAddress: '{email}',
    inviterNameAndAddress: '{name} ({email})',
    subject: {
      inviterAndApp: '{inviter} hat Sie zu {app} eingeladen',
      inviter: '{inviter} hat Sie zur Zusammenarbeit eingeladen',
      app: 'Einladung zu {app}',
      neither: 'Einladung zur Zusammenarbeit',
    },
    intro: {
      inviterAndApp: '{inviter} hat Sie als Gast zu {app} eingeladen.',
      inviter: '{inviter} hat Sie als Gast zur Zusammenarbeit eingeladen.',
      app: 'Sie wurden als Gast zu {app} eingeladen.',
      neither: 'Sie wurden als Gast zur Zusammenarbeit eingeladen.',
    },
    greetingNamed: 'Guten Tag {guest},',
    greeting: 'Guten Tag,',
    messageFrom: 'Nachricht von {inviter}:',
    message: 'Persönliche Nachricht:',
    acceptPrompt: 'Hier können Sie die Einladung annehmen:',
    acceptButton: 'Einladung annehmen',
    copyHint: 'Falls die Schaltfläche nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:',
    appUrl: 'Nach der Annahme erreichen Sie {app} jederzeit unter dieser Adresse:',
    appUrlUnnamed: 'Nach der Annahme erreichen Sie die Anwendung jederzeit unter dieser Adresse:',
    ignore: 'Falls Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.',
  },
  // Present tense and "accès invité" keep the sentences free of gender agreement (invité / invitée); "{inviter} a
  // écrit" avoids eliding "de" before a name starting with a vowel.
  fr: {
    dir: 'ltr',
    inviterName: '{name}',
    inviterAddress: '{email}',
    inviterNameAndAddress: '{name} ({email})',
    subject: {
      inviterAndApp: '{inviter} vous invite à rejoindre {app}',
      inviter: '{inviter} vous invite à collaborer',
      app: 'Invitation à rejoindre {app}',
      neither: 'Invitation à collaborer',
    },
    intro: {
      inviterAndApp: '{inviter} vous invite à rejoindre {app} avec un accès invité.',
      inviter: '{inviter} vous invite à collaborer avec un accès invité.',
      app: 'Vous avez reçu une invitation à rejoindre {app} avec un accès invité.',
      neither: 'Vous avez reçu une invitation à collaborer avec un accès invité.',
    },
    greetingNamed: 'Bonjour {guest},',
    greeting: 'Bonjour,',
    messageFrom: `{inviter} a écrit${NBSP}:`,
    message: `Message personnel${NBSP}:`,
    acceptPrompt: `Pour accepter l’invitation, ouvrez cette adresse${NBSP}:`,
    acceptButton: 'Accepter l’invitation',
    copyHint: `Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur${NBSP}:`,
    appUrl: `Une fois l’invitation acceptée, vous pourrez accéder à {app} à tout moment à cette adresse${NBSP}:`,
    appUrlUnnamed: `Une fois l’invitation acceptée, vous pourrez accéder à l’application à tout moment à cette adresse${NBSP}:`,
    ignore: 'Si vous n’attendiez pas cette invitation, vous pouvez ignorer cet e-mail.',
  },
  // Polite form; the inviter is "{name} さん", the guest "{guest} 様".
  ja: {
    dir: 'ltr',
    inviterName: '{name} さん',
    inviterAddress: '{email} さん',
    inviterNameAndAddress: '{name} さん（{email}）',
    subject: {
      inviterAndApp: '{inviter}から {app} への招待が届いています',
      inviter: '{inviter}から共同作業への招待が届いています',
      app: '{app} への招待が届いています',
      neither: '共同作業への招待が届いています',
    },
    intro: {
      inviterAndApp: '{inviter}から、ゲストとして {app} に参加するための招待が届いています。',
      inviter: '{inviter}から、ゲストとして共同作業に参加するための招待が届いています。',
      app: 'ゲストとして {app} に参加するための招待が届いています。',
      neither: 'ゲストとして共同作業に参加するための招待が届いています。',
    },
    greetingNamed: '{guest} 様',
    greeting: 'こんにちは。',
    messageFrom: '{inviter}からのメッセージ：',
    message: 'メッセージ：',
    acceptPrompt: '招待を承諾するには、次のアドレスを開いてください：',
    acceptButton: '招待を承諾する',
    copyHint: 'ボタンが機能しない場合は、次のアドレスをコピーしてブラウザーで開いてください：',
    appUrl: '承諾後は、次のアドレスからいつでも {app} を開くことができます：',
    appUrlUnnamed: '承諾後は、次のアドレスからいつでもアプリを開くことができます：',
    ignore: 'この招待に心当たりがない場合は、このメールを無視してください。',
  },
  // Modern Standard Arabic. Noun phrases ("دعوة من …") and "تلقيت" keep the inviter's and the guest's gender out of
  // the verbs; "يُرجى" + verbal noun instead of an imperative.
  ar: {
    dir: 'rtl',
    inviterName: '{name}',
    inviterAddress: '{email}',
    inviterNameAndAddress: '{name} ({email})',
    subject: {
      inviterAndApp: 'دعوة من {inviter} للانضمام إلى {app}',
      inviter: 'دعوة من {inviter} للتعاون',
      app: 'دعوة للانضمام إلى {app}',
      neither: 'دعوة للتعاون',
    },
    intro: {
      inviterAndApp: 'لقد تلقيت دعوة من {inviter} للانضمام إلى {app} بصفة ضيف.',
      inviter: 'لقد تلقيت دعوة من {inviter} للتعاون بصفة ضيف.',
      app: 'لقد تلقيت دعوة للانضمام إلى {app} بصفة ضيف.',
      neither: 'لقد تلقيت دعوة للتعاون بصفة ضيف.',
    },
    greetingNamed: 'مرحبًا {guest}،',
    greeting: 'مرحبًا،',
    messageFrom: 'رسالة من {inviter}:',
    message: 'رسالة شخصية:',
    acceptPrompt: 'لقبول الدعوة، يُرجى فتح هذا العنوان:',
    acceptButton: 'قبول الدعوة',
    copyHint: 'إذا لم يعمل الزر، يُرجى نسخ هذا العنوان ولصقه في المتصفح:',
    appUrl: 'بعد قبول الدعوة، يمكنك فتح {app} في أي وقت من خلال هذا العنوان:',
    appUrlUnnamed: 'بعد قبول الدعوة، يمكنك فتح التطبيق في أي وقت من خلال هذا العنوان:',
    ignore: 'إذا لم تكن هذه الدعوة متوقعة، فيمكنك تجاهل هذه الرسالة.',
  },
}

/** At most this many language ranges are considered (an `Accept-Language` header can be long). */
const MAX_RANGES = 20

/**
 * The email's language for what the request asked: a BCP 47 tag (`de-AT`), or tags in order of preference (e.g.
 * {@link acceptLanguageTags}). RFC 4647 lookup: each tag is canonicalised and shortened subtag by subtag until it names
 * a language the email is written in (`de-AT` → `de`, `zh-Hant-TW` → none); the first tag that does wins. Anything
 * else — unknown languages, malformed tags, nothing at all — is `en`.
 *
 * @example
 * resolveEmailLocale('de-AT') // 'de'
 * resolveEmailLocale(['sv', 'fr-CA']) // 'fr'
 * resolveEmailLocale('tlh') // 'en'
 */
export function resolveEmailLocale(requested: string | readonly string[] | null | undefined): EmailLocale {
  const ranges = typeof requested === 'string' ? [requested] : (requested ?? [])
  for (const range of ranges.slice(0, MAX_RANGES)) {
    const subtags = canonicalTag(range)?.split('-') ?? []
    while (subtags.length > 0) {
      const candidate = subtags.join('-').toLowerCase()
      if ((emailLocales as readonly string[]).includes(candidate)) return candidate as EmailLocale
      subtags.pop()
    }
  }
  return 'en'
}

/**
 * The language tags of an `Accept-Language` header, most preferred first (by `q`, then by position); `*` and
 * `q=0` ranges left out. Pass the result to {@link resolveEmailLocale}.
 *
 * @example
 * acceptLanguageTags('sv, de-CH;q=0.9, en;q=0.8') // ['sv', 'de-CH', 'en']
 */
export function acceptLanguageTags(header: string | null | undefined): string[] {
  if (!header) return []
  return header
    .split(',')
    .slice(0, MAX_RANGES)
    .map((entry, index) => {
      const [tag = '', ...parameters] = entry.split(';').map((part) => part.trim())
      const q = parameters.find((parameter) => /^q\s*=/i.test(parameter))
      const weight = q === undefined ? 1 : Number(q.replace(/^q\s*=\s*/i, ''))
      return { tag, weight: Number.isFinite(weight) ? weight : 0, index }
    })
    .filter(({ tag, weight }) => tag !== '' && tag !== '*' && weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map(({ tag }) => tag)
}

function canonicalTag(tag: string): string | undefined {
  const trimmed = tag.trim().replaceAll('_', '-')
  if (trimmed === '' || trimmed.length > 64) return undefined
  try {
    return Intl.getCanonicalLocales(trimmed)[0]
  } catch {
    return undefined
  }
}
