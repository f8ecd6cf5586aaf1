"""``pilotage serve``: migrate, optionally load the demo, run a worker and the web server.

The server is waitress: a production-grade, multi-threaded pure-Python WSGI
server that needs no compiler and runs the same on Linux, macOS and Windows
(Django's ``runserver`` is for development only).  The background worker
(``python -m pilotage.web run_huey``) runs as a child process and stops with
the server.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from pilotage import i18n

__all__ = ["register"]

i18n.register(
    {
        "serve.cli.help": {
            "en": "run the web application (migrates the database first)",
            "fr": "lancer l’application web (met d’abord la base de données à jour)",
        },
        "serve.migrating": {
            "en": "Updating the database…",
            "fr": "Mise à jour de la base de données…",
        },
        "serve.logins": {
            "en": "Demo accounts (user name, password, role):",
            "fr": "Comptes de démonstration (nom d’utilisateur, mot de passe, rôle) :",
        },
        "serve.ready": {
            "en": "Open {url} and sign in. Stop with Ctrl+C.",
            "fr": "Ouvrez {url} et connectez-vous. Arrêt avec Ctrl+C.",
        },
    }
)


def _run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilotage.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    print(i18n.t("serve.migrating", args.lang), flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    if args.demo:
        from pilotage.web.demo import load_demo

        logins = load_demo(lang=args.lang, out=lambda m: print(m, flush=True))
        print(i18n.t("serve.logins", args.lang))
        for login in logins:
            role = i18n.t(f"role.{login.role}", args.lang)
            print(f"  {login.username:12} {login.password:24} {role}")
    worker = None
    if not args.no_worker:
        worker = subprocess.Popen([sys.executable, "-m", "pilotage.web", "run_huey"])
    from waitress import serve

    from pilotage.web.wsgi import application

    url = f"http://{args.host}:{args.port}/"
    print(i18n.t("serve.ready", args.lang, url=url), flush=True)
    try:
        serve(application, host=args.host, port=args.port, threads=args.threads)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pilotage serve``."""
    parser = sub.add_parser("serve", help=i18n.t("serve.cli.help"))
    parser.add_argument("--demo", action="store_true", help="load the demo organizations once")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--threads", type=int, default=8, help="request threads")
    parser.add_argument(
        "--no-worker", action="store_true", help="do not start the background worker"
    )
    parser.set_defaults(func=_run)
