"""Placeholder until written."""

from django.http import Http404


def jadwal(request, *args, **kwargs):
    raise Http404


def hapus(request, *args, **kwargs):
    raise Http404


def pertemuan_baru(request, *args, **kwargs):
    raise Http404


def pertemuan(request, *args, **kwargs):
    raise Http404


def ical(request, *args, **kwargs):
    raise Http404
