"""Helpers of the fault scripts: gunicorn on a free port and a logged-in HTTP client."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, log_path: Path, workers: int = 2) -> subprocess.Popen:
    log = log_path.open("w")
    proc = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn died:\n" + log_path.read_text()[-3000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/masuk/", timeout=2):
                return proc
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    raise TimeoutError("gunicorn did not answer within 60 s")


@dataclass
class Reply:
    status: int
    body: str
    seconds: float
    location: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies, CSRF and timing: what a person's browser does, minus the JS."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def request(
        self, path: str, data: dict | None = None, headers: dict | None = None, timeout=15
    ) -> Reply:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310
        if body is not None:
            req.add_header("X-CSRFToken", self.csrf())
            req.add_header("Referer", self.base + path)
        started = time.monotonic()
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return Reply(
                    response.status,
                    response.read().decode(errors="replace"),
                    time.monotonic() - started,
                )
        except urllib.error.HTTPError as error:
            return Reply(
                error.code,
                error.read().decode(errors="replace"),
                time.monotonic() - started,
                error.headers.get("Location", ""),
            )
        except (OSError, urllib.error.URLError) as error:
            return Reply(0, str(error), time.monotonic() - started)

    def login(self, username: str, password: str) -> None:
        page = self.request("/masuk/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        assert token, "no CSRF token on the login page"
        reply = self.request(
            "/masuk/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        )
        assert reply.status == 302, f"login failed: {reply.status}"


def looks_clean(body: str) -> bool:
    """An error page a person may see: no stack trace, no exception text."""
    return not any(
        marker in body for marker in ("Traceback", 'File "', "OperationalError", "psycopg")
    )
