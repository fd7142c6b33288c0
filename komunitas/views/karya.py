"""Placeholder until written."""

from django.http import Http404


def praktik_list(request, *args, **kwargs):
    raise Http404


def praktik_buat(request, *args, **kwargs):
    raise Http404


def praktik(request, *args, **kwargs):
    raise Http404


def praktik_ubah(request, *args, **kwargs):
    raise Http404


def rencana(request, *args, **kwargs):
    raise Http404


def rencana_ubah(request, *args, **kwargs):
    raise Http404


def pedoman(request, *args, **kwargs):
    raise Http404


def pedoman_berkas(request, *args, **kwargs):
    raise Http404


def pedoman_umpan_balik(request, *args, **kwargs):
    raise Http404


def kegiatan_list(request, *args, **kwargs):
    raise Http404


def kegiatan(request, *args, **kwargs):
    raise Http404
