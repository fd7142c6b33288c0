from django.urls import path

from pmo.views import instrumen, review, sampah, wilayah

app_name = "pmo"

S = "sekolah/<int:sekolah_pk>/<int:tahun>/<int:siklus>/"

urlpatterns = [
    # the head fills in the instrument
    path("", instrumen.beranda, name="home"),
    path("sekolah/<int:sekolah_pk>/", instrumen.sekolah, name="sekolah"),
    path(S, instrumen.instrumen, name="instrumen"),
    path(S + "langkah/<int:n>/", instrumen.langkah_save, name="langkah-save"),
    path(S + "akar-masalah/", instrumen.akar_masalah_add, name="akar-masalah-add"),
    path("akar-masalah/<int:pk>/hapus/", instrumen.akar_masalah_delete, name="akar-masalah-delete"),
    path("sampah/", sampah.sampah, name="sampah"),
    path(
        "sampah/akar-masalah/<int:pk>/pulihkan/",
        sampah.akar_masalah_restore,
        name="akar-masalah-restore",
    ),
    path(S + "solusi/", instrumen.solusi_add, name="solusi-add"),
    path("solusi/<int:pk>/", instrumen.solusi_edit, name="solusi-edit"),
    path(S + "tindak-lanjut/baru/", instrumen.tindak_lanjut_add, name="tindak-lanjut-add"),
    path("tindak-lanjut/<int:pk>/", instrumen.tindak_lanjut, name="tindak-lanjut"),
    path("tindak-lanjut/<int:pk>/ubah/", instrumen.tindak_lanjut_edit, name="tindak-lanjut-edit"),
    path(
        "tindak-lanjut/<int:pk>/status/",
        instrumen.tindak_lanjut_status,
        name="tindak-lanjut-status",
    ),
    path("tindak-lanjut/<int:pk>/catatan/", instrumen.catatan_bulanan, name="catatan-bulanan"),
    path(S + "lampiran/", instrumen.lampiran_add, name="lampiran-add"),
    path("lampiran/<int:pk>/", instrumen.lampiran_berkas, name="lampiran-berkas"),
    # the facilitator reviews; forum pokja
    path(S + "sejak-bulan-lalu/", review.sejak_bulan_lalu, name="sejak-bulan-lalu"),
    path(S + "umpan-balik/", review.umpan_balik, name="umpan-balik"),
    path("sekolah/<int:sekolah_pk>/forum/", review.forum_list, name="forum-list"),
    path("sekolah/<int:sekolah_pk>/forum/baru/", review.forum_create, name="forum-create"),
    path("forum/<int:pk>/", review.forum_detail, name="forum-detail"),
    path("forum/<int:pk>/ubah/", review.forum_edit, name="forum-edit"),
    # the coordinator's region
    path("wilayah/", wilayah.tabel, name="wilayah"),
    path("wilayah/eskalasi/", wilayah.eskalasi, name="eskalasi"),
    path("wilayah/eskalasi/<int:pk>/tangani/", wilayah.eskalasi_handle, name="eskalasi-handle"),
    path("wilayah/csv/", wilayah.csv, name="wilayah-csv"),
    path(S + "laporan/", wilayah.laporan_pdf, name="laporan-pdf"),
]
