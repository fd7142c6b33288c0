from django.urls import path

from program import views
from program.views import impor as views_impor
from program.views import versi as views_versi

app_name = "program"

urlpatterns = [
    path("sekolah/", views.sekolah_list, name="sekolah-list"),
    path("sekolah/pdf/", views.daftar_sekolah_pdf, name="sekolah-pdf"),
    path("sekolah/<int:pk>/", views.sekolah_detail, name="sekolah-detail"),
    path("cgp/<int:pk>/", views.cgp_detail, name="cgp-detail"),
    path("orang/<int:pk>/", views.orang_detail, name="orang-detail"),
    path("profil/", views.profil, name="profil"),
    path("unduhan/<uuid:pk>/", views.job_detail, name="job-detail"),
    path("unduhan/<uuid:pk>/status/", views.job_status, name="job-status"),
    path("unduhan/<uuid:pk>/berkas/", views.job_download, name="job-download"),
    path("unduhan/<uuid:pk>/coba-lagi/", views.job_retry, name="job-retry"),
    # programme versions (operators)
    path("versi/", views_versi.versi_list, name="versi-list"),
    path("versi/baru/", views_versi.versi_create, name="versi-create"),
    path("versi/<int:pk>/ubah/", views_versi.versi_edit, name="versi-edit"),
    path(
        "versi/angkatan/<int:angkatan_pk>/isi-jadwal/",
        views_versi.jadwal_fill,
        name="versi-jadwal-fill",
    ),
    # imports of master data (operators)
    path("impor/", views_impor.impor, name="impor"),
    path("impor/<str:jenis>/templat.<str:format>", views_impor.impor_templat, name="impor-templat"),
    path("impor/<str:jenis>/pratinjau/", views_impor.impor_preview, name="impor-preview"),
    path("impor/<str:jenis>/terapkan/", views_impor.impor_apply, name="impor-apply"),
]
