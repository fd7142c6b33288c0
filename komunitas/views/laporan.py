"""Placeholder until written."""

from django.http import Http404


def laporan_pdf(request, *args, **kwargs):
    raise Http404
