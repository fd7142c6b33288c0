"""Placeholder until written."""

from django.http import Http404


def nilai(request, *args, **kwargs):
    raise Http404


def impor(request, *args, **kwargs):
    raise Http404


def nilai_saya(request, *args, **kwargs):
    raise Http404
