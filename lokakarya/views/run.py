"""Placeholder until written."""

from django.http import Http404


def jalankan(request, *args, **kwargs):
    raise Http404


def tahap_mulai(request, *args, **kwargs):
    raise Http404


def tahap_selesai(request, *args, **kwargs):
    raise Http404


def tahap_refleksi(request, *args, **kwargs):
    raise Http404
