"""Placeholder until written."""

from django.http import Http404



def dasbor(request, *args, **kwargs):
    raise Http404


def dasbor_pdf(request, *args, **kwargs):
    raise Http404


def tabel_unduh(request, *args, **kwargs):
    raise Http404
