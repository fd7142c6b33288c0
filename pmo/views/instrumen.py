"""Placeholder until written."""

from django.http import Http404



def beranda(request, *args, **kwargs):
    raise Http404


def sekolah(request, *args, **kwargs):
    raise Http404


def instrumen(request, *args, **kwargs):
    raise Http404


def langkah_simpan(request, *args, **kwargs):
    raise Http404


def akar_masalah_tambah(request, *args, **kwargs):
    raise Http404


def akar_masalah_hapus(request, *args, **kwargs):
    raise Http404


def solusi_tambah(request, *args, **kwargs):
    raise Http404


def solusi_ubah(request, *args, **kwargs):
    raise Http404


def tindak_lanjut_tambah(request, *args, **kwargs):
    raise Http404


def tindak_lanjut(request, *args, **kwargs):
    raise Http404


def tindak_lanjut_ubah(request, *args, **kwargs):
    raise Http404


def tindak_lanjut_status(request, *args, **kwargs):
    raise Http404


def catatan_bulanan(request, *args, **kwargs):
    raise Http404


def lampiran_tambah(request, *args, **kwargs):
    raise Http404


def lampiran_berkas(request, *args, **kwargs):
    raise Http404
