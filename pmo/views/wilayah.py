"""Placeholder until written."""

from django.http import Http404



def tabel(request, *args, **kwargs):
    raise Http404


def eskalasi(request, *args, **kwargs):
    raise Http404


def tangani(request, *args, **kwargs):
    raise Http404


def csv(request, *args, **kwargs):
    raise Http404


def laporan_pdf(request, *args, **kwargs):
    raise Http404
