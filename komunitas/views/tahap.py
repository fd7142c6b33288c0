"""Placeholder until written."""

from django.http import Http404


def tahap(request, *args, **kwargs):
    raise Http404


def simpan(request, *args, **kwargs):
    raise Http404


def berkas(request, *args, **kwargs):
    raise Http404


def peta(request, *args, **kwargs):
    raise Http404
