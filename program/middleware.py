"""A database that cannot be reached gets a short 503 page, not a 500.

While PostgreSQL restarts (or fails over), queries fail with OperationalError
or InterfaceError. That is not a bug in the app: the page says so in Bahasa
Indonesia, asks the user to try again shortly, and the next request
reconnects by itself (CONN_HEALTH_CHECKS). The page is rendered without a
request context: context processors would query the database again.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from program.sesi import set_marker_cookie

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 15


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning(
            "database unavailable for %s %s: %s", request.method, request.path, exception
        )
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


class PrivatePagesMiddleware:
    """Pages of a logged-in user are nobody else's: `Cache-Control: private,
    no-store` on their HTML (unless a view said otherwise), so that no shared
    proxy or browser back-forward cache keeps them after logout. (The service
    worker's offline copies are its own: static/js/sw.js.)

    It also keeps the `pwa_sesi` cookie of program.sesi in step with the login.

    A request body larger than an upload may be (UPLOAD_MAX_BYTES and a little
    room for the other fields) is refused from its Content-Length, before any
    of it is read: 413 with a page in Bahasa Indonesia.
    """

    # Room for the form's other fields beside the one file.
    MARGIN = 256 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.UPLOAD_MAX_BYTES + self.MARGIN
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            response = HttpResponse(
                render_to_string("413.html", {"maks_mb": settings.UPLOAD_MAX_BYTES // 2**20}),
                status=413,
            )
            response["Cache-Control"] = "no-store"
            # The client is not waiting to send the rest: close the connection.
            response["Connection"] = "close"
            return response
        response = self.get_response(request)
        # The offline pages' binding to this login (program.sesi).
        set_marker_cookie(request, response)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "Cache-Control" not in response
            and response.get("Content-Type", "").startswith("text/html")
        ):
            response["Cache-Control"] = "private, no-store"
        return response
