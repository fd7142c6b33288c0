from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from program import views as program_views
from program.views import pwa as views_pwa
from program.views.sandi import LupaSandiView

admin.site.site_header = _("Administrasi Pendampingan Penggerak")
admin.site.site_title = _("Admin Pendampingan")
admin.site.index_title = _("Data induk")

urlpatterns = [
    path("", program_views.beranda, name="beranda"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # Throttled per address and per IP (program.views.sandi).
    path("lupa-sandi/", LupaSandiView.as_view(), name="password_reset"),
    path(
        "lupa-sandi/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "atur-sandi/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "atur-sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("ubah-sandi/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "ubah-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # At the root so that the service worker's scope is the whole site.
    path("sw.js", views_pwa.service_worker, name="pwa-sw"),
    path("manifest.webmanifest", views_pwa.manifest, name="pwa-manifest"),
    path("", include("program.urls")),
    path("pendampingan/", include("pendampingan.urls")),
    path("lokakarya/", include("lokakarya.urls")),
    path("pmo/", include("pmo.urls")),
    path("komunitas/", include("komunitas.urls")),
    path("laporan/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
