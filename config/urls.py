from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from program import views as program_views

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
    path("", include("program.urls")),
    path("pendampingan/", include("pendampingan.urls")),
    path("lokakarya/", include("lokakarya.urls")),
    path("pmo/", include("pmo.urls")),
    path("komunitas/", include("komunitas.urls")),
    path("laporan/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
