"""Placeholder until written."""

from django.http import Http404


def impor(request, *args, **kwargs):
    raise Http404


def impor_templat(request, *args, **kwargs):
    raise Http404


def impor_pratinjau(request, *args, **kwargs):
    raise Http404


def impor_terapkan(request, *args, **kwargs):
    raise Http404
