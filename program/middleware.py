"""A database that cannot be reached gets a short 503 page, not a 500.

While PostgreSQL restarts (or fails over), queries fail with OperationalError
or InterfaceError. That is not a bug in the app: the page says so in Bahasa
Indonesia, asks the user to try again shortly, and the next request
reconnects by itself (CONN_HEALTH_CHECKS). The page is rendered without a
request context: context processors would query the database again.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

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
