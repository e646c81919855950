import type { ShareErrorCode } from '@entra-share/client'
import type { LocalePack } from '../LocalePack.js'

// French typography: a no-break space (\u00a0) before « : » and « ; » and inside « guillemets ».

const errors = {
  invalid_request: 'Certaines informations ne sont pas valides. Vérifiez les champs signalés.',
  unauthenticated: 'Votre session a expiré. Reconnectez-vous, puis réessayez.',
  insufficient_scope:
    'Votre connexion ne vous permet pas d’inviter des utilisateurs externes. Demandez l’accès à votre administrateur.',
  claims_challenge:
    'Une vérification supplémentaire (comme l’authentification multifacteur) est nécessaire. Reconnectez-vous, puis réessayez.',
  tenant_not_allowed:
    'Votre organisation n’est pas autorisée à utiliser le partage de cette application. Contactez l’administrateur de l’application.',
  consent_required:
    'Un administrateur doit approuver cette application avant que vous puissiez inviter des utilisateurs externes.',
  forbidden: 'Vous n’êtes pas autorisé à effectuer cette action.',
  follow_up_forbidden:
    'L’invitation a été envoyée, mais cette application ne peut pas encore terminer la configuration de l’accès. Votre administrateur a été informé des autorisations à accorder.',
  license_unavailable:
    'L’invitation a été envoyée, mais aucune licence n’est encore disponible pour cette personne. Il a été demandé à votre administrateur d’ajouter des licences.',
  removal_forbidden:
    'L’accès de cette personne n’a pas encore pu être retiré\u00a0: il manque une autorisation à cette application. Votre administrateur a été informé de l’autorisation à accorder.',
  not_found: 'Le service de partage n’a pas trouvé l’élément demandé.',
  redirect_url_not_allowed:
    'Cette application n’est pas configurée pour rediriger les invités vers cette page. Contactez votre administrateur.',
  message_links_not_allowed:
    'Les liens ne sont pas autorisés dans le message personnel. Supprimez le lien, puis réessayez.',
  domain_not_allowed: 'Les invitations vers ce domaine de messagerie ne sont pas autorisées.',
  preset_not_allowed: 'Vous ne pouvez pas donner accès à ce groupe. Choisissez une autre option.',
  already_member:
    'Cette personne est déjà membre de votre organisation\u00a0; aucune invitation n’est nécessaire.',
  reason_required: 'Cet accès nécessite une approbation. Indiquez pourquoi la personne en a besoin.',
  access_days_not_allowed: 'Cette durée dépasse celle autorisée pour cet accès. Choisissez moins de jours.',
  approval_required: 'Cet accès nécessite une approbation\u00a0: invitez cette personne séparément.',
  approval_not_allowed: 'Vous ne pouvez pas statuer sur cette demande.',
  approval_already_decided: 'Une décision a déjà été prise pour cette demande.',
  approval_in_progress: 'Un autre approbateur est en train d’approuver cette demande. Patientez un instant.',
  invitation_not_active: 'Cette invitation ne donne plus aucun accès.',
  extension_not_allowed: 'Cet accès ne peut plus être prolongé.',
  guest_invites_disabled: 'Votre organisation ne vous permet pas d’inviter des utilisateurs externes.',
  blocked_by_tenant_policy:
    'Les paramètres de collaboration externe de votre organisation bloquent cette adresse.',
  rate_limited:
    'Vous avez envoyé beaucoup d’invitations en peu de temps. Patientez un instant, puis réessayez.',
  invitation_quota_exceeded:
    'Vous avez atteint le nombre d’invitations autorisé par heure. Réessayez à la fin du compte à rebours.',
  graph_throttled: 'Les services Microsoft sont très sollicités. Patientez un instant, puis réessayez.',
  upstream_unavailable:
    'Microsoft Entra ID est indisponible pour le moment. Réessayez dans quelques minutes.',
  upstream_error: 'Microsoft a refusé l’invitation.',
  idempotency_conflict: 'Cette invitation a été modifiée pendant son envoi. Partagez-la à nouveau.',
  idempotency_in_progress: 'Cette invitation est encore en cours d’envoi. Patientez un instant.',
  payload_too_large: 'L’invitation est trop volumineuse. Raccourcissez le message personnel.',
  uri_too_long:
    'Le service de partage n’a pas pu lire la demande. Réessayez\u00a0; si le problème persiste, contactez votre administrateur.',
  internal_error: 'Une erreur s’est produite sur le service de partage. Réessayez plus tard.',
  network_error: 'Impossible de joindre le service de partage. Vérifiez votre connexion, puis réessayez.',
  invalid_response: 'Le service de partage a renvoyé une réponse inattendue. Réessayez plus tard.',
  sign_in_required: 'Connectez-vous pour inviter des utilisateurs externes.',
  interaction_in_progress:
    'Une fenêtre de connexion est encore ouverte. Terminez la connexion ou fermez la fenêtre, puis réessayez.',
} satisfies Record<ShareErrorCode, string>

/**
 * French.
 *
 * @example
 * import { fr } from '@entra-share/react/locales/fr'
 *
 * <EntraShareLocaleProvider packs={[fr]}>…</EntraShareLocaleProvider>
 */
export const fr: LocalePack = {
  locale: 'fr',
  dir: 'ltr',
  share: {
    title: 'Partager avec une personne externe',
    intro:
      'Invitez une personne extérieure à votre organisation. Elle recevra un lien pour accepter l’invitation.',
    emailLabel: 'Adresse e-mail',
    emailHint: 'Par exemple ada@fabrikam.com',
    displayNameLabel: 'Nom',
    displayNameHint: 'Nom affiché dans votre annuaire (facultatif).',
    presetLabel: 'Accès',
    presetNone: 'Aucun groupe',
    messageLabel: 'Message personnel (facultatif)',
    messageHintNoLinks: 'Les liens ne sont pas autorisés dans le message.',
    messageHintAllowedLinks: 'Les liens ne peuvent pointer que vers {origins}.',
    submit: 'Partager',
    submitting: 'Partage en cours…',
    retry: 'Réessayer',
    waiting: 'Réessayer dans {seconds}\u00a0s',
    emailRequired: 'Saisissez une adresse e-mail.',
    emailInvalid: 'Saisissez une adresse e-mail au format nom@exemple.com.',
    tooLong: {
      one: 'Utilisez au maximum {max}\u00a0caractère.',
      other: 'Utilisez au maximum {max}\u00a0caractères.',
    },
    validationSummary: 'Vérifiez les champs signalés.',
    errorTitle: 'L’invitation n’a pas été envoyée',
    requestId: 'Référence\u00a0: {requestId}',
    consentLink: 'Ouvrir la page de consentement',
    successTitleEmailed: 'Invitation envoyée',
    successTitleLink: 'Invitation prête à être partagée',
    successEmailedByMicrosoft: 'Microsoft a envoyé une invitation par e-mail à {email}.',
    successEmailedByApp: 'Une invitation a été envoyée par e-mail à {email}.',
    successSendLink: 'Aucun e-mail n’a été envoyé\u00a0: envoyez vous-même ce lien à {email}.',
    successPartial: 'Certains accès sont encore en cours de configuration et seront bientôt prêts.',
    addToGroupDone: 'Ajout à {preset} effectué',
    addToGroupToDo: 'ajout à {preset}',
    stepAnyGroup: 'un groupe',
    updateAttributesDone: 'Nom et emplacement définis',
    updateAttributesToDo: 'définition du nom et de l’emplacement',
    assignLicenseDone: 'Licence attribuée',
    assignLicenseToDo: 'attribution d’une licence',
    assignAppRoleDone: 'Accès à l’application accordé',
    assignAppRoleToDo: 'octroi de l’accès à l’application',
    stepToDo: 'Reste à faire\u00a0: {step} — {reason}',
    stepRetried: 'Cette étape sera relancée automatiquement.',
    stepFailed: 'Cette étape ne sera pas relancée. Contactez votre administrateur.',
    successStepsToDo: {
      one: '{count}\u00a0étape reste à faire.',
      other: '{count}\u00a0étapes restent à faire.',
    },
    redeemUrlLabel: 'Lien d’invitation',
    copy: 'Copier le lien',
    copied: 'Lien copié',
    copyFailed: 'La copie a échoué\u00a0: sélectionnez le lien et copiez-le.',
    objectIdLabel: 'ID d’objet',
    shareAnother: 'Partager avec une autre personne',
    openButton: 'Partager…',
    dialogTitle: 'Partager avec une personne externe',
    close: 'Fermer',
    errors,
  },
  bulk: {
    title: 'Inviter des personnes externes à partir d’un fichier',
    intro:
      'Utilisez le modèle d’invitation en bloc du centre d’administration Microsoft Entra\u00a0: une personne par ligne, les deux premières lignes telles qu’elles ont été téléchargées.',
    fileLabel: 'Fichier CSV',
    fileHint: 'Choisissez le fichier ou déposez-le ici.',
    dropActive: 'Déposez le fichier pour en afficher un aperçu.',
    previewCaption: {
      one: 'La première ligne de {fileName}',
      other: 'Les {count} premières lignes de {fileName}',
    },
    previewSummary: 'Invitations à envoyer\u00a0: {total} · lignes avec un problème\u00a0: {problems}',
    exampleSkipped: 'La ligne d’exemple du modèle sera ignorée.',
    columnRow: 'Ligne',
    columnEmail: 'Adresse e-mail',
    columnName: 'Nom',
    columnProblem: 'Problème',
    noProblem: 'Prête',
    rowProblems: {
      emailMissing: '{column} est vide (ligne\u00a0{row}).',
      emailInvalid:
        '{column} n’est pas une adresse e-mail valide (ligne\u00a0{row}\u00a0: «\u00a0{value}\u00a0»).',
      sendEmail: '{column} doit valoir true ou false (ligne\u00a0{row}\u00a0: «\u00a0{value}\u00a0»).',
      usageLocation:
        '{column} doit être un code pays à deux lettres, par exemple FR (ligne\u00a0{row}\u00a0: «\u00a0{value}\u00a0»).',
      tooLong: '{column} dépasse {max}\u00a0caractères (ligne\u00a0{row}\u00a0: «\u00a0{value}\u00a0»).',
      duplicate:
        '{column} reprend la ligne\u00a0{first}, qui sera la seule invitée (ligne\u00a0{row}\u00a0: «\u00a0{value}\u00a0»).',
    },
    fileVersion:
      'La ligne\u00a0{row} indique «\u00a0{value}\u00a0»\u00a0; seul le modèle du portail «\u00a0version:v1.0\u00a0» est pris en charge.',
    fileNoHeader:
      'La ligne\u00a0{row} n’est pas la ligne d’en-tête du modèle\u00a0: aucune colonne ne contient «\u00a0[inviteeEmail]\u00a0» dans son nom.',
    fileOpenQuote:
      'Une cellule entre guillemets près de la ligne\u00a0{row} n’est jamais fermée\u00a0; vérifiez les guillemets de cette ligne.',
    filePreviewNote: 'Le serveur vérifie à nouveau le fichier au démarrage.',
    start: 'Lancer les invitations',
    uploading: 'Envoi du fichier…',
    chooseAnother: 'Choisir un autre fichier',
    progressLabel: 'Invitations',
    progress: 'Invitations envoyées\u00a0: {invited} sur {total} · échecs\u00a0: {failed}',
    etaSeconds: 'moins d’une minute restante',
    etaMinutes: 'encore environ {minutes}\u00a0min',
    etaHours: 'encore environ {hours}\u00a0h {minutes}\u00a0min',
    refusedTitle: 'Lignes refusées à l’envoi du fichier',
    refusedMore: 'Le fichier de résultats liste toutes les lignes refusées.',
    pausedTitle: 'Reconnectez-vous pour continuer',
    pausedText: 'Les invitations sont suspendues jusqu’à ce que vous vous reconnectiez. Rien n’est perdu.',
    signIn: 'Se connecter pour continuer',
    cancel: 'Annuler les invitations restantes',
    cancelling: 'Annulation…',
    completedTitle: 'Invitations terminées',
    completedText: 'Invitations envoyées\u00a0: {invited} · échecs\u00a0: {failed}.',
    cancelledTitle: 'Invitations annulées',
    cancelledText:
      'Invitations envoyées\u00a0: {invited} · échecs\u00a0: {failed} · non envoyées\u00a0: {cancelled}.',
    download: 'Télécharger les résultats',
    downloaded: 'Résultats téléchargés.',
    again: 'Inviter à partir d’un autre fichier',
    errorTitle: 'Les invitations n’ont pas pu continuer',
    refusedFileTitle: 'Le fichier n’a pas été accepté',
    requestId: 'Référence\u00a0: {requestId}',
    announceStarted: {
      one: 'Invitation de {total}\u00a0personne en cours.',
      other: 'Invitation de {total}\u00a0personnes en cours.',
    },
    announceCompleted: 'Invitations terminées. Envoyées\u00a0: {invited}, échecs\u00a0: {failed}.',
    announceCancelled: 'Invitations annulées. Envoyées\u00a0: {invited}, échecs\u00a0: {failed}.',
    announcePaused: 'Invitations suspendues\u00a0: reconnectez-vous pour continuer.',
    rowReasons: {
      invalid_email: 'L’adresse e-mail est absente ou non valide.',
      invalid_value: 'Une cellule contient une valeur que la colonne n’accepte pas.',
      duplicate_in_file:
        'L’adresse figure plus haut dans le même fichier\u00a0; elle n’est invitée qu’une seule fois.',
    },
    errorFallback: 'Une erreur s’est produite. Réessayez plus tard.',
    errors: {
      invalid_request: 'Le fichier ne suit pas le modèle d’invitation en bloc.',
      payload_too_large: 'Le fichier est trop volumineux. Divisez-le en fichiers plus petits.',
      unauthenticated: errors.unauthenticated,
      insufficient_scope: errors.insufficient_scope,
      consent_required: errors.consent_required,
      guest_invites_disabled: errors.guest_invites_disabled,
      forbidden: 'Vous n’êtes pas autorisé à consulter cette invitation en bloc.',
      not_found: 'Cette invitation en bloc n’existe plus.',
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
