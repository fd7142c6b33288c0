"""The application's URLs plus the three floor pages of scripts/bench/floor.py.

Only the benchmark loads this module (scripts/bench/floor_settings.py); the
application never serves these pages.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as application


def kosong(request):
    """Nothing but the middleware: no session or user is read."""
    return HttpResponse("ok")


def pengguna(request):
    """The session and the logged-in user are read (two queries)."""
    return HttpResponse(f"ok {request.user.pk}")


def kerangka(request):
    """The page frame every page has (menu by role, name, logout form), no content."""
    return render(request, "base.html")


urlpatterns = [
    path("lantai/kosong/", kosong),
    path("lantai/pengguna/", pengguna),
    path("lantai/kerangka/", kerangka),
    *application,
]
