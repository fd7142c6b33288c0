from django.urls import path

from lokakarya.views import agenda, kelompok, laporan, lokakarya, nilai, presensi, produk, run

app_name = "lokakarya"

urlpatterns = [
    # workshop, agenda, participants
    path("", lokakarya.lokakarya_list, name="list"),
    path("baru/", lokakarya.lokakarya_create, name="create"),
    path("<int:pk>/", lokakarya.detail, name="detail"),
    path("<int:pk>/ubah/", lokakarya.lokakarya_edit, name="edit"),
    path("<int:pk>/agenda/<int:tahap_pk>/menit/", lokakarya.tahap_menit, name="tahap-menit"),
    # Building the agenda: add, edit, move, remove; an operator saves it as the template's
    path("<int:pk>/agenda/tambah/", agenda.tahap_add, name="tahap-add"),
    path("<int:pk>/agenda/<int:tahap_pk>/ubah/", agenda.tahap_edit, name="tahap-edit"),
    path("<int:pk>/agenda/<int:tahap_pk>/hapus/", agenda.tahap_delete, name="tahap-delete"),
    path("<int:pk>/agenda/<int:tahap_pk>/pindah/", agenda.tahap_move, name="tahap-move"),
    path(
        "<int:pk>/agenda/jadikan-templat/",
        agenda.agenda_save_as_template,
        name="agenda-save-as-template",
    ),
    path("<int:pk>/peserta/", lokakarya.peserta, name="peserta"),
    path(
        "<int:pk>/peserta/<int:peserta_pk>/hapus/",
        lokakarya.peserta_delete,
        name="peserta-delete",
    ),
    path("<int:pk>/kesepakatan/", lokakarya.kesepakatan, name="kesepakatan"),
    # running the agenda
    path("<int:pk>/jalankan/", run.run, name="run"),
    path("<int:pk>/jalankan/<int:tahap_pk>/mulai/", run.tahap_start, name="tahap-start"),
    path("<int:pk>/jalankan/<int:tahap_pk>/selesai/", run.tahap_finish, name="tahap-finish"),
    path("<int:pk>/jalankan/<int:tahap_pk>/refleksi/", run.tahap_refleksi, name="tahap-refleksi"),
    # attendance
    path("<int:pk>/presensi/", presensi.presensi, name="presensi"),
    path("<int:pk>/presensi/qr.svg", presensi.qr, name="presensi-qr"),
    path("<int:pk>/presensi/cetak/", presensi.daftar_hadir, name="daftar-hadir"),
    path("hadir/", presensi.check_in, name="check-in"),
    # groups and rotations
    path("<int:pk>/kelompok/", kelompok.kelompok, name="kelompok"),
    path("<int:pk>/kelompok/buat/", kelompok.kelompok_create, name="kelompok-create"),
    path("<int:pk>/kelompok/pindah/", kelompok.kelompok_move, name="kelompok-move"),
    path("<int:pk>/kelompok/rotasi/", kelompok.rotasi, name="rotasi"),
    # pre/post tests, products, report
    path("<int:pk>/nilai/", nilai.nilai, name="nilai"),
    path("<int:pk>/nilai/impor/", nilai.nilai_import, name="nilai-import"),
    path("<int:pk>/nilai-saya/", nilai.nilai_saya, name="nilai-saya"),
    path("<int:pk>/produk/", produk.produk, name="produk"),
    path("produk/<int:pk>/berkas/", produk.berkas, name="produk-berkas"),
    path("<int:pk>/laporan/", laporan.laporan_pdf, name="laporan-pdf"),
]
