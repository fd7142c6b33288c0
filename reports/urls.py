from django.urls import path

from reports.views import dashboard as views_dashboard
from reports.views import export as views_export
from reports.views import kalender as views_kalender

app_name = "reports"

urlpatterns = [
    # dashboards
    path("dasbor/", views_dashboard.dasbor, name="dasbor"),
    path("dasbor/pdf/", views_dashboard.dasbor_pdf, name="dasbor-pdf"),
    path(
        "dasbor/tabel/<str:nama>.<str:format>",
        views_dashboard.tabel_download,
        name="tabel-download",
    ),
    # exports
    path("ekspor/", views_export.ekspor, name="ekspor"),
    path("ekspor/<str:jenis>/", views_export.ekspor_start, name="ekspor-start"),
    # programme calendar, JP accounting, iCal, reminders
    path("kalender/", views_kalender.kalender, name="kalender"),
    path("kalender/jp/", views_kalender.jp, name="jp"),
    path("kalender/ical/", views_kalender.ical_saya, name="ical-saya"),
    path("kalender/ical/reset/", views_kalender.ical_reset, name="ical-reset"),
    path("kalender/ical/<str:token>.ics", views_kalender.ical_feed, name="ical-feed"),
    path("pengingat/", views_kalender.pengingat, name="pengingat"),
]
