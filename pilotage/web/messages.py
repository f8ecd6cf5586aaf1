"""The web application's user-facing messages, in the project's catalog (:mod:`pilotage.i18n`).

Templates render them with ``{% t "code" %}`` or ``{{ code|t }}``.  Screens
add their own codes here (or in a ``MESSAGES`` mapping of their module).
"""

from __future__ import annotations

from pilotage import i18n

MESSAGES = {
    # Roles and enumerations.
    "role.referent": {"en": "IT referent", "fr": "Référent IT"},
    "role.executive": {"en": "Executive", "fr": "Direction"},
    "role.consultant": {"en": "Consultant", "fr": "Consultant"},
    "role.auditor": {"en": "Auditor", "fr": "Auditeur"},
    "role.provider": {"en": "Provider", "fr": "Prestataire"},
    "snapshot.role.tickets": {"en": "Tickets", "fr": "Tickets"},
    "snapshot.role.events": {"en": "Ticket events", "fr": "Événements des tickets"},
    "snapshot.role.claims": {"en": "Provider's figures", "fr": "Chiffres du prestataire"},
    "snapshot.role.monitoring": {"en": "Monitoring", "fr": "Supervision"},
    "snapshot.role.backups": {"en": "Backups", "fr": "Sauvegardes"},
    "snapshot.role.restore_tests": {"en": "Restore tests", "fr": "Tests de restauration"},
    "snapshot.role.adjustments": {"en": "Adjustments", "fr": "Ajustements"},
    "run.status.pending": {"en": "Queued", "fr": "En attente"},
    "run.status.running": {"en": "Computing", "fr": "Calcul en cours"},
    "run.status.done": {"en": "Done", "fr": "Terminé"},
    "run.status.failed": {"en": "Failed", "fr": "Échec"},
    "status.met": {"en": "Met", "fr": "Respecté"},
    "status.breached": {"en": "Breached", "fr": "Non respecté"},
    "status.no_data": {"en": "No data", "fr": "Pas de données"},
    "finality.provisional": {"en": "provisional", "fr": "provisoire"},
    "finality.final": {"en": "final", "fr": "définitif"},
    # Layout.
    "web.app_name": {"en": "Pilotage", "fr": "Pilotage"},
    "web.nav.portfolio": {"en": "Portfolio", "fr": "Portefeuille"},
    "web.nav.organizations": {"en": "Organizations", "fr": "Organisations"},
    "web.nav.members": {"en": "Members", "fr": "Membres"},
    "web.nav.account_security": {
        "en": "Two-step verification",
        "fr": "Vérification en deux étapes",
    },
    "web.nav.logout": {"en": "Sign out", "fr": "Se déconnecter"},
    "web.nav.language": {"en": "Language", "fr": "Langue"},
    "web.nav.signed_in_as": {"en": "Signed in as {name}", "fr": "Connecté en tant que {name}"},
    "web.error.not_found": {
        "en": "This page does not exist or you do not have access to it.",
        "fr": "Cette page n’existe pas ou vous n’y avez pas accès.",
    },
    "web.error.forbidden": {
        "en": "Your role in this organization does not allow this action.",
        "fr": "Votre rôle dans cette organisation ne permet pas cette action.",
    },
    "web.save": {"en": "Save", "fr": "Enregistrer"},
    # Sign-in.
    "web.login.title": {"en": "Sign in", "fr": "Connexion"},
    "web.login.username": {"en": "User name", "fr": "Nom d’utilisateur"},
    "web.login.password": {"en": "Password", "fr": "Mot de passe"},
    "web.login.submit": {"en": "Sign in", "fr": "Se connecter"},
    "web.login.invalid": {
        "en": "Wrong user name or password.",
        "fr": "Nom d’utilisateur ou mot de passe incorrect.",
    },
    "web.login.locked": {
        "en": "Too many failed attempts for this user from your address: "
        "sign-in is blocked for {minutes} minutes.",
        "fr": "Trop d’échecs pour cet utilisateur depuis votre adresse : "
        "la connexion est bloquée pendant {minutes} minutes.",
    },
    "web.login.oidc": {
        "en": "Sign in with {provider}",
        "fr": "Se connecter avec {provider}",
    },
    "web.login.oidc_default": {"en": "single sign-on", "fr": "l’authentification unique"},
    "web.login.or": {"en": "or", "fr": "ou"},
    "web.totp.title": {"en": "Verification code", "fr": "Code de vérification"},
    "web.totp.prompt": {
        "en": "Enter the six-digit code shown by your authenticator app.",
        "fr": "Saisissez le code à six chiffres affiché par votre application d’authentification.",
    },
    "web.totp.code": {"en": "Code", "fr": "Code"},
    "web.totp.invalid": {
        "en": "This code is not valid: check your device's clock and try again.",
        "fr": "Ce code n’est pas valide : vérifiez l’heure de votre appareil et réessayez.",
    },
    "web.totp.expired": {
        "en": "Your sign-in has expired: enter your password again.",
        "fr": "Votre connexion a expiré : saisissez de nouveau votre mot de passe.",
    },
    "web.totp.setup_title": {
        "en": "Two-step verification",
        "fr": "Vérification en deux étapes",
    },
    "web.totp.setup_intro": {
        "en": "Add this account to an authenticator app (scan the link or type the secret), "
        "then enter the code it shows to turn verification on.",
        "fr": "Ajoutez ce compte à une application d’authentification (lien ou clé secrète), "
        "puis saisissez le code qu’elle affiche pour activer la vérification.",
    },
    "web.totp.secret": {"en": "Secret key", "fr": "Clé secrète"},
    "web.totp.uri": {"en": "Setup link (otpauth)", "fr": "Lien de configuration (otpauth)"},
    "web.totp.enable": {"en": "Turn on", "fr": "Activer"},
    "web.totp.disable": {"en": "Turn off", "fr": "Désactiver"},
    "web.totp.enabled": {
        "en": "Two-step verification is on.",
        "fr": "La vérification en deux étapes est activée.",
    },
    "web.totp.disabled": {
        "en": "Two-step verification is off.",
        "fr": "La vérification en deux étapes est désactivée.",
    },
    # Invitations and members.
    "web.invite.title": {"en": "Invite someone", "fr": "Inviter une personne"},
    "web.invite.email": {"en": "Email address", "fr": "Adresse e-mail"},
    "web.invite.role": {"en": "Role", "fr": "Rôle"},
    "web.invite.submit": {"en": "Send the invitation", "fr": "Envoyer l’invitation"},
    "web.invite.sent": {
        "en": "Invitation sent to {email}.",
        "fr": "Invitation envoyée à {email}.",
    },
    "web.invite.bad_email": {
        "en": "Expected an email address, got “{value}”.",
        "fr": "Une adresse e-mail était attendue, reçu « {value} ».",
    },
    "web.invite.bad_role": {
        "en": "Expected one of the roles {expected}, got “{value}”.",
        "fr": "Un des rôles {expected} était attendu, reçu « {value} ».",
    },
    "web.invite.email_subject": {
        "en": "Invitation to {org} on Pilotage",
        "fr": "Invitation à {org} sur Pilotage",
    },
    "web.invite.email_body": {
        "en": "{inviter} invites you to join {org} on Pilotage as {role}.\n\n"
        "Open this link within {days} days to accept:\n{link}\n",
        "fr": "{inviter} vous invite à rejoindre {org} sur Pilotage en tant que {role}.\n\n"
        "Ouvrez ce lien dans les {days} jours pour accepter :\n{link}\n",
    },
    "web.invite.accept_title": {
        "en": "Join {org}",
        "fr": "Rejoindre {org}",
    },
    "web.invite.accept_intro": {
        "en": "You are invited to join {org} as {role}.",
        "fr": "Vous êtes invité à rejoindre {org} en tant que {role}.",
    },
    "web.invite.create_account": {
        "en": "Choose a user name and a password to create your account.",
        "fr": "Choisissez un nom d’utilisateur et un mot de passe pour créer votre compte.",
    },
    "web.invite.accept": {"en": "Accept", "fr": "Accepter"},
    "web.invite.invalid": {
        "en": "This invitation link is not valid: it was already used or has expired.",
        "fr": "Ce lien d’invitation n’est pas valide : il a déjà servi ou a expiré.",
    },
    "web.invite.username_taken": {
        "en": "The user name “{value}” is taken: choose another one.",
        "fr": "Le nom d’utilisateur « {value} » est déjà pris : choisissez-en un autre.",
    },
    "web.invite.password_rejected": {
        "en": "Password rejected: {reason}",
        "fr": "Mot de passe refusé : {reason}",
    },
    "web.members.title": {"en": "Members", "fr": "Membres"},
    "web.members.user": {"en": "User", "fr": "Utilisateur"},
    "web.members.pending": {"en": "Pending invitations", "fr": "Invitations en attente"},
    "web.members.expires": {"en": "Expires", "fr": "Expire le"},
    # Organization home and portfolio.
    "web.home.title": {"en": "Contracts", "fr": "Contrats"},
    "web.home.empty": {
        "en": "No contract yet in this organization.",
        "fr": "Aucun contrat pour l’instant dans cette organisation.",
    },
    "web.home.contract": {"en": "Contract", "fr": "Contrat"},
    "web.home.last_period": {"en": "Last closed month", "fr": "Dernier mois clos"},
    "web.home.levels": {"en": "Service levels", "fr": "Niveaux de service"},
    "web.home.penalties": {"en": "Penalties (month)", "fr": "Pénalités (mois)"},
    "web.home.no_run": {"en": "not computed yet", "fr": "pas encore calculé"},
    "web.home.levels_summary": {
        "en": "{met} met, {breached} breached, {no_data} without data",
        "fr": "{met} respectés, {breached} non respectés, {no_data} sans données",
    },
    "web.home.choose_org": {
        "en": "Choose an organization",
        "fr": "Choisissez une organisation",
    },
    "web.home.no_org": {
        "en": "You are not a member of any organization yet: ask for an invitation.",
        "fr": "Vous n’êtes membre d’aucune organisation : demandez une invitation.",
    },
    "web.portfolio.title": {"en": "Portfolio", "fr": "Portefeuille"},
    "web.portfolio.intro": {
        "en": "Every contract of the organizations you belong to.",
        "fr": "Tous les contrats des organisations dont vous êtes membre.",
    },
    "web.portfolio.organization": {"en": "Organization", "fr": "Organisation"},
    "web.portfolio.role": {"en": "Your role", "fr": "Votre rôle"},
    "web.contract.as_of": {"en": "Computed on {date}", "fr": "Calculé le {date}"},
    "web.contract.window": {"en": "Window", "fr": "Fenêtre"},
    "web.contract.level": {"en": "Service level", "fr": "Niveau de service"},
    "web.contract.value": {"en": "Measured", "fr": "Mesuré"},
    "web.contract.objective": {"en": "Objective", "fr": "Objectif"},
    "web.contract.status": {"en": "Status", "fr": "Statut"},
    "web.contract.penalty": {"en": "Penalty", "fr": "Pénalité"},
    # Uploads and runs.
    "web.upload.too_large": {
        "en": "{name}: file of {size} MB, over the {limit} MB limit; "
        "split the export by period or compress it.",
        "fr": "{name} : fichier de {size} Mo, au-delà de la limite de {limit} Mo ; "
        "découpez l’export par période ou compressez-le.",
    },
    "web.run.missing_tickets": {
        "en": "A run needs a tickets snapshot; none was given.",
        "fr": "Un calcul nécessite un instantané des tickets ; aucun n’a été fourni.",
    },
    "web.run.one_per_role": {
        "en": "Only one {role} snapshot per run (got {count}).",
        "fr": "Un seul instantané « {role} » par calcul ({count} fournis).",
    },
    "web.run.other_contract": {
        "en": "Snapshot {name} belongs to another contract.",
        "fr": "L’instantané {name} appartient à un autre contrat.",
    },
    "web.run.no_version": {
        "en": "This contract has no file yet: upload it first.",
        "fr": "Ce contrat n’a pas encore de fichier : déposez-le d’abord.",
    },
    "web.run.bad_period": {
        "en": "Expected a month such as 2026-10, got “{value}”.",
        "fr": "Un mois du type 2026-10 était attendu, reçu « {value} ».",
    },
    "web.language.saved": {
        "en": "The interface is now in English.",
        "fr": "L’interface est désormais en français.",
    },
}
i18n.register(MESSAGES)
from pilotage.web import (  # noqa: E402  (each screen registers its own messages)
    messages_api,  # noqa: F401
    messages_closing,  # noqa: F401
    messages_contracts,  # noqa: F401
)
