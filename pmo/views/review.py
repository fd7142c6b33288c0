"""Placeholder until written."""

from django.http import Http404



def sejak_bulan_lalu(request, *args, **kwargs):
    raise Http404


def umpan_balik(request, *args, **kwargs):
    raise Http404


def forum_list(request, *args, **kwargs):
    raise Http404


def forum_create(request, *args, **kwargs):
    raise Http404


def forum_detail(request, *args, **kwargs):
    raise Http404


def forum_edit(request, *args, **kwargs):
    raise Http404
