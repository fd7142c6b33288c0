"""Placeholder until written."""

from django.http import Http404


def daftar(request, *args, **kwargs):
    raise Http404


def buat(request, *args, **kwargs):
    raise Http404


def detail(request, *args, **kwargs):
    raise Http404


def bukti(request, *args, **kwargs):
    raise Http404


def berkas(request, *args, **kwargs):
    raise Http404
