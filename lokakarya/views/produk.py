"""Placeholder until written."""

from django.http import Http404


def produk(request, *args, **kwargs):
    raise Http404


def berkas(request, *args, **kwargs):
    raise Http404
