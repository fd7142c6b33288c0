"""Placeholder until written."""

from django.http import Http404



def ekspor(request, *args, **kwargs):
    raise Http404


def ekspor_mulai(request, *args, **kwargs):
    raise Http404
