"""Messages of the REST API (:mod:`pilotage.web.api`), in the token user's language."""

from __future__ import annotations

from pilotage import i18n

MESSAGES = {
    "api.authentication_required": {
        "en": "Authentication required: send an API token (Authorization: Bearer ...).",
        "fr": "Authentification requise : envoyez un jeton d’API (Authorization: Bearer ...).",
    },
    "api.invalid_token": {
        "en": "This API token is unknown or was revoked.",
        "fr": "Ce jeton d’API est inconnu ou a été révoqué.",
    },
    "api.not_found": {
        "en": "Not found, or not visible with these credentials.",
        "fr": "Introuvable, ou invisible avec ces identifiants.",
    },
    "api.forbidden": {
        "en": "Action {action} is not allowed to the role {role}.",
        "fr": "L’action {action} n’est pas permise au rôle {role}.",
    },
    "api.token_unscoped": {
        "en": "This token is tied to no organization: issue a token for one organization.",
        "fr": "Ce jeton n’est rattaché à aucune organisation : "
        "créez un jeton pour une organisation.",
    },
    "api.csrf": {
        "en": "Writes with a session cookie need the CSRF token; API clients send a bearer token.",
        "fr": "Une écriture avec un cookie de session exige le jeton CSRF ; "
        "les clients de l’API envoient un jeton porteur.",
    },
    "api.invalid_request": {
        "en": "Invalid request: {details}.",
        "fr": "Requête invalide : {details}.",
    },
    "api.too_large": {
        "en": "The request body ({size} MB) exceeds the {limit} MB limit.",
        "fr": "Le corps de la requête ({size} Mo) dépasse la limite de {limit} Mo.",
    },
    "api.not_utf8": {
        "en": "Contract file {name} is not UTF-8 text.",
        "fr": "Le fichier de contrat {name} n’est pas un texte UTF-8.",
    },
    "api.unknown_snapshot": {
        "en": "No snapshot with SHA-256 {sha256} for this contract: upload the file first.",
        "fr": "Aucun instantané de SHA-256 {sha256} pour ce contrat : déposez d’abord le fichier.",
    },
    "api.naive_as_of": {
        "en": "as_of must carry a UTC offset (such as 2026-11-10T09:00:00+01:00), got {value}.",
        "fr": "as_of doit porter un décalage UTC (par exemple 2026-11-10T09:00:00+01:00), "
        "reçu {value}.",
    },
    "api.run_not_done": {
        "en": "Run {run} is {status}: its report is available once it is done.",
        "fr": "Le calcul {run} est « {status} » : son rapport sera disponible une fois terminé.",
    },
    "api.token_exceeds_role": {
        "en": "A token cannot act as {role}: the member’s role {member_role} does not allow it.",
        "fr": "Un jeton ne peut pas agir en tant que {role} : "
        "le rôle du membre {member_role} ne le permet pas.",
    },
    "api.not_member": {
        "en": "User {user} is not a member of organization {org}.",
        "fr": "L’utilisateur {user} n’est pas membre de l’organisation {org}.",
    },
    "api.token_issued": {
        "en": "Token {name} for {org} (role {role}); it is shown only once:",
        "fr": "Jeton {name} pour {org} (rôle {role}) ; il n’est affiché qu’une fois :",
    },
    "api.unknown_user": {
        "en": "No user named {user}.",
        "fr": "Aucun utilisateur nommé {user}.",
    },
    "api.unknown_org": {
        "en": "No organization with the slug {org}.",
        "fr": "Aucune organisation d’identifiant {org}.",
    },
    "api.rebuild_differs": {
        "en": "Run {run} evaluated again gives another result: its inputs or the software changed.",
        "fr": "Le calcul {run} réévalué donne un autre résultat : ses entrées ou le logiciel "
        "ont changé.",
    },
}
i18n.register(MESSAGES)
