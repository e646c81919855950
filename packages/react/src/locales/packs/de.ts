import type { ShareErrorCode } from '@entra-share/client'
import type { LocalePack } from '../LocalePack.js'

const errors = {
  invalid_request: 'Einige Angaben sind ungültig. Überprüfen Sie die markierten Felder.',
  unauthenticated:
    'Ihre Anmeldung ist abgelaufen. Melden Sie sich erneut an und versuchen Sie es noch einmal.',
  insufficient_scope:
    'Ihre Anmeldung erlaubt keine Einladungen von Gästen. Bitten Sie Ihren Administrator um Zugriff.',
  claims_challenge:
    'Eine zusätzliche Überprüfung (z. B. mehrstufige Authentifizierung) ist erforderlich. Melden Sie sich erneut an und versuchen Sie es noch einmal.',
  tenant_not_allowed:
    'Ihre Organisation darf die Freigabefunktion dieser App nicht verwenden. Wenden Sie sich an den Administrator der App.',
  consent_required: 'Ein Administrator muss diese App genehmigen, bevor Sie Gäste einladen können.',
  forbidden: 'Dazu sind Sie nicht berechtigt.',
  follow_up_forbidden:
    'Der Gast wurde eingeladen, aber diese App darf die Einrichtung noch nicht abschließen. Ihr Administrator wurde informiert, welche Berechtigungen zu erteilen sind.',
  license_unavailable:
    'Der Gast wurde eingeladen, aber es ist noch keine Lizenz zum Zuweisen frei. Ihr Administrator wurde gebeten, Lizenzen hinzuzufügen.',
  removal_forbidden:
    'Der Zugriff des Gasts konnte noch nicht entfernt werden: Dieser App fehlt eine Berechtigung. Ihr Administrator wurde informiert, welche zu erteilen ist.',
  not_found: 'Der Freigabedienst konnte das Angeforderte nicht finden.',
  redirect_url_not_allowed:
    'Diese App ist nicht dafür eingerichtet, Gäste auf diese Seite weiterzuleiten. Wenden Sie sich an Ihren Administrator.',
  message_links_not_allowed:
    'Links sind in der persönlichen Nachricht nicht erlaubt. Entfernen Sie den Link und versuchen Sie es erneut.',
  domain_not_allowed: 'Einladungen an diese E-Mail-Domäne sind nicht erlaubt.',
  preset_not_allowed: 'Sie können keinen Zugriff auf diese Gruppe gewähren. Wählen Sie eine andere Option.',
  already_member: 'Diese Person ist bereits Mitglied Ihrer Organisation; eine Einladung ist nicht nötig.',
  reason_required: 'Dieser Zugriff muss genehmigt werden. Geben Sie an, warum die Person ihn benötigt.',
  access_days_not_allowed: 'Das ist länger, als dieser Zugriff dauern darf. Wählen Sie weniger Tage.',
  approval_required: 'Dieser Zugriff muss genehmigt werden: Laden Sie diese Person einzeln ein.',
  approval_not_allowed: 'Sie können über diese Anfrage nicht entscheiden.',
  approval_already_decided: 'Über diese Anfrage wurde bereits entschieden.',
  approval_in_progress: 'Eine andere Person genehmigt diese Anfrage gerade. Warten Sie einen Moment.',
  invitation_not_active: 'Diese Einladung gewährt keinen Zugriff mehr.',
  extension_not_allowed: 'Dieser Zugriff kann nicht noch einmal verlängert werden.',
  guest_invites_disabled: 'Ihre Organisation erlaubt Ihnen nicht, Gäste einzuladen.',
  blocked_by_tenant_policy:
    'Die Einstellungen Ihrer Organisation für die externe Zusammenarbeit blockieren diese Adresse.',
  rate_limited:
    'Sie haben in kurzer Zeit viele Einladungen gesendet. Warten Sie einen Moment und versuchen Sie es dann erneut.',
  invitation_quota_exceeded:
    'Sie haben die erlaubte Anzahl an Einladungen pro Stunde erreicht. Versuchen Sie es erneut, wenn der Countdown abgelaufen ist.',
  graph_throttled:
    'Microsoft ist gerade ausgelastet. Warten Sie einen Moment und versuchen Sie es dann erneut.',
  upstream_unavailable:
    'Microsoft Entra ID ist derzeit nicht verfügbar. Versuchen Sie es in ein paar Minuten erneut.',
  upstream_error: 'Microsoft hat die Einladung abgelehnt.',
  idempotency_conflict: 'Diese Einladung wurde während des Sendens geändert. Teilen Sie sie erneut.',
  idempotency_in_progress: 'Diese Einladung wird noch gesendet. Warten Sie einen Moment.',
  payload_too_large: 'Die Einladung ist zu groß. Kürzen Sie die persönliche Nachricht.',
  uri_too_long:
    'Der Freigabedienst konnte die Anfrage nicht lesen. Versuchen Sie es erneut; wenn das Problem bestehen bleibt, wenden Sie sich an Ihren Administrator.',
  internal_error: 'Beim Freigabedienst ist ein Fehler aufgetreten. Versuchen Sie es später erneut.',
  network_error:
    'Der Freigabedienst ist nicht erreichbar. Überprüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
  invalid_response: 'Der Freigabedienst hat unerwartet geantwortet. Versuchen Sie es später erneut.',
  sign_in_required: 'Melden Sie sich an, um Gäste einzuladen.',
  interaction_in_progress:
    'Ein Anmeldefenster ist noch geöffnet. Melden Sie sich dort an oder schließen Sie es, und versuchen Sie es dann erneut.',
} satisfies Record<ShareErrorCode, string>

/**
 * German (Sie-Form).
 *
 * @example
 * import { de } from '@entra-share/react/locales/de'
 *
 * <EntraShareLocaleProvider packs={[de]}>…</EntraShareLocaleProvider>
 */
export const de: LocalePack = {
  locale: 'de',
  dir: 'ltr',
  share: {
    title: 'Mit einer externen Person teilen',
    intro:
      'Laden Sie jemanden außerhalb Ihrer Organisation ein. Die Person erhält einen Link, um die Einladung anzunehmen.',
    emailLabel: 'E-Mail-Adresse',
    emailHint: 'Zum Beispiel ada@fabrikam.com',
    displayNameLabel: 'Name',
    displayNameHint: 'So wird die Person in Ihrem Verzeichnis angezeigt (optional).',
    presetLabel: 'Zugriff',
    presetNone: 'Keine Gruppe',
    messageLabel: 'Persönliche Nachricht (optional)',
    messageHintNoLinks: 'Links sind in der Nachricht nicht erlaubt.',
    messageHintAllowedLinks: 'Links dürfen nur zu {origins} führen.',
    submit: 'Teilen',
    submitting: 'Wird geteilt…',
    retry: 'Erneut versuchen',
    waiting: 'Erneut versuchen in {seconds} s',
    emailRequired: 'Geben Sie eine E-Mail-Adresse ein.',
    emailInvalid: 'Geben Sie eine E-Mail-Adresse wie name@example.com ein.',
    tooLong: 'Verwenden Sie höchstens {max} Zeichen.',
    validationSummary: 'Überprüfen Sie die markierten Felder.',
    errorTitle: 'Die Einladung wurde nicht gesendet',
    requestId: 'Referenz: {requestId}',
    consentLink: 'Zustimmungsseite öffnen',
    successTitleEmailed: 'Einladung gesendet',
    successTitleLink: 'Einladung bereit zum Teilen',
    successEmailedByMicrosoft: 'Microsoft hat eine Einladung an {email} gesendet.',
    successEmailedByApp: 'Eine Einladung wurde per E-Mail an {email} gesendet.',
    successSendLink: 'Es wurde keine E-Mail gesendet: Senden Sie diesen Link selbst an {email}.',
    successPartial: 'Einige Zugriffe werden noch eingerichtet und sind in Kürze fertig.',
    addToGroupDone: 'Zu {preset} hinzugefügt',
    addToGroupToDo: 'zu {preset} hinzufügen',
    stepAnyGroup: 'einer Gruppe',
    updateAttributesDone: 'Name und Standort festgelegt',
    updateAttributesToDo: 'Name und Standort festlegen',
    assignLicenseDone: 'Lizenz zugewiesen',
    assignLicenseToDo: 'eine Lizenz zuweisen',
    assignAppRoleDone: 'App-Zugriff gewährt',
    assignAppRoleToDo: 'App-Zugriff gewähren',
    stepToDo: 'Noch offen: {step} – {reason}',
    stepRetried: 'Der Schritt wird automatisch wiederholt.',
    stepFailed: 'Der Schritt wird nicht wiederholt. Wenden Sie sich an Ihren Administrator.',
    successStepsToDo: { one: 'Ein Schritt ist noch offen.', other: '{count} Schritte sind noch offen.' },
    redeemUrlLabel: 'Einladungslink',
    copy: 'Link kopieren',
    copied: 'Link kopiert',
    copyFailed: 'Kopieren fehlgeschlagen: Markieren Sie den Link und kopieren Sie ihn.',
    objectIdLabel: 'Objekt-ID',
    shareAnother: 'Mit einer weiteren Person teilen',
    openButton: 'Teilen…',
    dialogTitle: 'Mit einer externen Person teilen',
    close: 'Schließen',
    errors,
  },
  bulk: {
    title: 'Gäste aus einer Datei einladen',
    intro:
      'Verwenden Sie die Vorlage für Masseneinladungen aus dem Microsoft Entra Admin Center: ein Gast pro Zeile, die ersten beiden Zeilen so, wie sie heruntergeladen wurden.',
    fileLabel: 'CSV-Datei',
    fileHint: 'Wählen Sie die Datei aus oder legen Sie sie hier ab.',
    dropActive: 'Legen Sie die Datei ab, um eine Vorschau zu sehen.',
    previewCaption: {
      one: 'Die erste Zeile von {fileName}',
      other: 'Die ersten {count} Zeilen von {fileName}',
    },
    previewSummary: {
      one: '{total} Zeile zum Einladen · {problems} mit Problemen',
      other: '{total} Zeilen zum Einladen · {problems} mit Problemen',
    },
    exampleSkipped: 'Die Beispielzeile der Vorlage wird übersprungen.',
    columnRow: 'Zeile',
    columnEmail: 'E-Mail-Adresse',
    columnName: 'Name',
    columnProblem: 'Problem',
    noProblem: 'Bereit',
    rowProblems: {
      emailMissing: '{column} ist leer (Zeile {row}).',
      emailInvalid: '{column} ist keine gültige E-Mail-Adresse (Zeile {row}: „{value}“).',
      sendEmail: '{column} muss true oder false sein (Zeile {row}: „{value}“).',
      usageLocation: '{column} muss ein Ländercode aus zwei Buchstaben wie DE sein (Zeile {row}: „{value}“).',
      tooLong: '{column} ist länger als {max} Zeichen (Zeile {row}: „{value}“).',
      duplicate: '{column} wiederholt Zeile {first}, die eingeladen wird (Zeile {row}: „{value}“).',
    },
    fileVersion: 'Zeile {row} enthält „{value}“; nur die Portalvorlage „version:v1.0“ wird unterstützt.',
    fileNoHeader:
      'Zeile {row} ist nicht die Kopfzeile der Vorlage: Keine Spalte hat „[inviteeEmail]“ im Namen.',
    fileOpenQuote:
      'Eine Zelle in Anführungszeichen nahe Zeile {row} wird nie geschlossen; prüfen Sie die Anführungszeichen in dieser Zeile.',
    filePreviewNote: 'Der Server prüft die Datei beim Start erneut.',
    start: 'Einladungen starten',
    uploading: 'Wird hochgeladen…',
    chooseAnother: 'Andere Datei auswählen',
    progressLabel: 'Einladungen',
    progress: '{invited} von {total} eingeladen · {failed} fehlgeschlagen',
    etaSeconds: 'noch weniger als eine Minute',
    etaMinutes: 'noch etwa {minutes} Min.',
    etaHours: 'noch etwa {hours} Std. {minutes} Min.',
    refusedTitle: 'Beim Hochladen abgelehnte Zeilen',
    refusedMore: 'Die Ergebnisdatei führt jede abgelehnte Zeile auf.',
    pausedTitle: 'Melden Sie sich erneut an, um fortzufahren',
    pausedText: 'Die Einladungen sind angehalten, bis Sie sich erneut anmelden. Es geht nichts verloren.',
    signIn: 'Anmelden und fortfahren',
    cancel: 'Verbleibende Einladungen abbrechen',
    cancelling: 'Wird abgebrochen…',
    completedTitle: 'Einladungen abgeschlossen',
    completedText: '{invited} eingeladen · {failed} fehlgeschlagen.',
    cancelledTitle: 'Einladungen abgebrochen',
    cancelledText: '{invited} eingeladen · {failed} fehlgeschlagen · {cancelled} nicht gesendet.',
    download: 'Ergebnisse herunterladen',
    downloaded: 'Ergebnisse heruntergeladen.',
    again: 'Aus einer anderen Datei einladen',
    errorTitle: 'Die Einladungen konnten nicht fortgesetzt werden',
    refusedFileTitle: 'Die Datei wurde nicht angenommen',
    requestId: 'Referenz: {requestId}',
    announceStarted: { one: '{total} Gast wird eingeladen.', other: '{total} Gäste werden eingeladen.' },
    announceCompleted: 'Einladungen abgeschlossen: {invited} eingeladen, {failed} fehlgeschlagen.',
    announceCancelled: 'Einladungen abgebrochen: {invited} eingeladen, {failed} fehlgeschlagen.',
    announcePaused: 'Einladungen angehalten: Melden Sie sich erneut an, um fortzufahren.',
    rowReasons: {
      invalid_email: 'Die E-Mail-Adresse fehlt oder ist ungültig.',
      invalid_value: 'Eine Zelle enthält einen Wert, den die Spalte nicht akzeptiert.',
      duplicate_in_file:
        'Die Adresse steht bereits weiter oben in derselben Datei; sie wird nur einmal eingeladen.',
    },
    errorFallback: 'Ein Fehler ist aufgetreten. Versuchen Sie es später erneut.',
    errors: {
      invalid_request: 'Die Datei entspricht nicht der Vorlage für Masseneinladungen.',
      payload_too_large: 'Die Datei ist zu groß. Teilen Sie sie in kleinere Dateien auf.',
      unauthenticated: errors.unauthenticated,
      insufficient_scope: errors.insufficient_scope,
      consent_required: errors.consent_required,
      guest_invites_disabled: errors.guest_invites_disabled,
      forbidden: 'Sie dürfen diese Masseneinladung nicht ansehen.',
      not_found: 'Diese Masseneinladung existiert nicht mehr.',
      rate_limited: errors.rate_limited,
      upstream_unavailable: errors.upstream_unavailable,
      internal_error: errors.internal_error,
      network_error: errors.network_error,
      invalid_response: errors.invalid_response,
      sign_in_required: errors.sign_in_required,
      interaction_in_progress: errors.interaction_in_progress,
    },
  },
}
