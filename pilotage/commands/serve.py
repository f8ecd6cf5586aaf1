"""``pilotage serve``: migrate, optionally load the demo, run a worker and the web server.

The server is waitress: a production-grade, multi-threaded pure-Python WSGI
server that needs no compiler and runs the same on Linux, macOS and Windows
(Django's ``runserver`` is for development only).  The background worker
(``python -m pilotage.web run_huey``) runs as a child process and stops with
the server.

``--processes N`` (POSIX) runs N waitress processes accepting on one shared
listening socket: one Python process runs one request at a time (the
interpreter lock), so several processes are what lets a multi-core machine
serve pages in parallel.  The application keeps no state in its processes
(sessions, queue and cache are shared), so any number of them, or of
machines behind a reverse proxy, serve the same site.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
from typing import Any

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
        "serve.processes": {
            "en": "--processes needs a system with fork (Linux, macOS); serving with one process.",
            "fr": "--processes demande un système avec fork (Linux, macOS) ; un seul processus.",
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
    call_command("createcachetable", verbosity=0)  # PILOTAGE_CACHE=database only
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
    processes = max(1, args.processes)
    if processes > 1 and not hasattr(os, "fork"):
        print(i18n.t("serve.processes", args.lang), file=sys.stderr)
        processes = 1
    try:
        if processes == 1:
            print(i18n.t("serve.ready", args.lang, url=url), flush=True)
            serve(application, host=args.host, port=args.port, threads=args.threads)
        else:
            listener = _listen(args.host, args.port)
            print(i18n.t("serve.ready", args.lang, url=url), flush=True)
            _serve_forked(application, listener, processes, args.threads)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket the processes share."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1024)
    return listener


def _serve_forked(application: Any, listener: socket.socket, processes: int, threads: int) -> None:
    """Fork ``processes`` waitress servers on ``listener``; stop them all when one stops or
    on Ctrl+C / SIGTERM."""
    from django.db import connections
    from waitress import serve

    connections.close_all()  # every child opens its own database connections
    children: list[int] = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            try:
                serve(application, sockets=[listener], threads=threads)
            finally:
                os._exit(0)
        children.append(pid)
    listener.close()

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        os.wait()  # the first child to end ends the service
    except KeyboardInterrupt:
        pass
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for pid in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pilotage serve``."""
    parser = sub.add_parser("serve", help=i18n.t("serve.cli.help"))
    parser.add_argument("--demo", action="store_true", help="load the demo organizations once")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--threads", type=int, default=8, help="request threads per process")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="server processes sharing the port (POSIX; about one per processor core)",
    )
    parser.add_argument(
        "--no-worker", action="store_true", help="do not start the background worker"
    )
    parser.set_defaults(func=_run)
