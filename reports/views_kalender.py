"""Placeholder until written."""

from django.http import Http404



def kalender(request, *args, **kwargs):
    raise Http404


def jp(request, *args, **kwargs):
    raise Http404


def ical_saya(request, *args, **kwargs):
    raise Http404


def ical_feed(request, *args, **kwargs):
    raise Http404


def ical_reset(request, *args, **kwargs):
    raise Http404


def pengingat(request, *args, **kwargs):
    raise Http404
