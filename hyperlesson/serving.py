"""How `hyperlesson serve` serves: gunicorn with hyperlesson/gunicorn_conf.py where it
runs, waitress where it cannot (Windows: gunicorn needs fork), and the addresses to
give learners."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys

from flask import Flask

from . import gunicorn_conf

SERVERS = ("gunicorn", "waitress")
WAITRESS_CONNECTIONS = 1_000  # a class keeps several connections each open between clicks


def default_server() -> str:
    return "waitress" if sys.platform == "win32" else "gunicorn"


def serve(app: Flask, server: str, host: str, ports: list[int], workers: int) -> None:
    """Serve `app` (built and migrated: gunicorn forks its workers from this process) on
    each of `ports` until interrupted."""
    binds = [f"{_bracketed(host)}:{port}" for port in ports]
    if server == "gunicorn":
        _serve_with_gunicorn(app, binds, workers)
    else:
        _serve_with_waitress(app, binds, workers)


def _serve_with_gunicorn(app: Flask, binds: list[str], workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for name, value in vars(gunicorn_conf).items():
                if name in self.cfg.settings:
                    self.cfg.set(name, value)
            self.cfg.set("bind", binds)
            self.cfg.set("workers", workers)

        def load(self):
            return app

    Server(prog="hyperlesson serve").run()


def _serve_with_waitress(app: Flask, binds: list[str], workers: int) -> None:
    import waitress

    # One process: as many threads as gunicorn's workers would have. waitress reads each
    # whole request before a thread sees it, so slow clients hold no thread either.
    waitress.serve(app, listen=" ".join(binds), threads=workers * gunicorn_conf.threads,
                   connection_limit=WAITRESS_CONNECTIONS, ident="Hyperlesson")


def port_in_use(host: str, port: int) -> bool:
    """Whether another program already listens there (a second `serve`, often): better
    said at once than after gunicorn's five retries."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if sys.platform != "win32":  # there, SO_REUSEADDR would share the port instead
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def addresses(host: str, port: int) -> tuple[list[str], list[str]]:
    """(URLs on this computer, URLs other computers on the network can open)."""
    if host in ("0.0.0.0", "::"):
        return [f"http://127.0.0.1:{port}/"], [f"http://{a}:{port}/" for a in network_ips()]
    url = f"http://{_bracketed(host)}:{port}/"
    local = host == "localhost" or (_is_ip(host) and ipaddress.ip_address(host).is_loopback)
    return ([url], []) if local else ([], [url])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def network_ips() -> list[str]:
    """This computer's IPv4 addresses on its networks (not loopback, not link-local)."""
    found: set[str] = set()
    with contextlib.suppress(OSError):
        for *_, sockaddr in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(sockaddr[0])
    # The address of the interface that routes to private networks: connecting a UDP
    # socket only picks the route, no packet is sent.
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.254", 9))
        found.add(probe.getsockname()[0])
    return sorted(ip for ip in found
                  if not (ipaddress.ip_address(ip).is_loopback
                          or ipaddress.ip_address(ip).is_link_local
                          or ipaddress.ip_address(ip).is_unspecified))
