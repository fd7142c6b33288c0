"""The marker that binds pages kept offline to the login they were shown to.

Every response to a logged-in user carries the cookie `pwa_sesi`, a value
derived from the session key (which Django replaces at login), expiring with
the session; pages carry the same value in `<meta name="pwa-sesi">`. A page
the service worker serves from the device checks the two in its <head>
(static/js/sesi-guard.js): when the cookie is gone or another (cookies
cleared, the session expired, someone else logged in), the page is hidden,
the worker drops the kept pages and the offline notice is shown instead.
The cookie is readable by scripts on purpose: it says nothing but "this
browser still has that login", and cannot be turned into a session.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

COOKIE = "pwa_sesi"


def session_marker(request) -> str:
    """The marker of this request's login, or "" for nobody."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if user is None or not user.is_authenticated or session is None or not session.session_key:
        return ""
    return salted_hmac("program.sesi", session.session_key).hexdigest()[:24]


def set_marker_cookie(request, response) -> None:
    """Keep the browser's cookie equal to the marker of its login (or none)."""
    marker = session_marker(request)
    if marker and request.COOKIES.get(COOKIE) != marker:
        response.set_cookie(
            COOKIE,
            marker,
            max_age=settings.SESSION_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
            httponly=False,
        )
    elif not marker and COOKIE in request.COOKIES:
        response.delete_cookie(COOKIE, samesite="Lax")


def pwa_sesi(request) -> dict:
    """Context processor: the marker for base.html's <meta name="pwa-sesi">."""
    return {"pwa_sesi": session_marker(request)}
