"""Placeholder until written."""

from django.http import Http404


def beranda(request, *args, **kwargs):
    raise Http404


def buat(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def ubah(request, *args, **kwargs):
    raise Http404
