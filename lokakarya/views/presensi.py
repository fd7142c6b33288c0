"""Placeholder until written."""

from django.http import Http404


def presensi(request, *args, **kwargs):
    raise Http404


def qr(request, *args, **kwargs):
    raise Http404


def daftar_hadir(request, *args, **kwargs):
    raise Http404


def check_in(request, *args, **kwargs):
    raise Http404
