from django.urls import path

from pendampingan.views import artefak, coaching, jurnal, kelas, pi, sampah, templat

app_name = "pendampingan"

urlpatterns = [
    # PI 1–6: the PP's grid, sessions, journal, RTL, documentation, PDFs
    path("", pi.beranda_pp, name="beranda-pp"),
    path("saya/", pi.cgp_home, name="cgp-home"),
    path("cgp/<int:penugasan_pk>/pi/<int:urutan>/", pi.sesi, name="sesi"),
    # The first write on a PI whose session does not exist yet plans it.
    path("cgp/<int:penugasan_pk>/pi/<int:urutan>/jadwal/", pi.pi_schedule, name="pi-schedule"),
    path(
        "cgp/<int:penugasan_pk>/pi/<int:urutan>/jurnal/autosave/",
        pi.pi_jurnal_autosave,
        name="pi-jurnal-autosave",
    ),
    path(
        "cgp/<int:penugasan_pk>/pi/<int:urutan>/jurnal/ajukan/",
        pi.pi_jurnal_submit,
        name="pi-jurnal-submit",
    ),
    path("sesi/<int:pk>/", pi.sesi_read, name="sesi-read"),
    path("sesi/<int:pk>/jadwal/", pi.sesi_schedule, name="sesi-schedule"),
    path("sesi/<int:pk>/jurnal/autosave/", pi.jurnal_autosave, name="jurnal-autosave"),
    path("sesi/<int:pk>/jurnal/ajukan/", pi.jurnal_submit, name="jurnal-submit"),
    path("sesi/<int:pk>/jurnal/buka/", pi.jurnal_reopen, name="jurnal-reopen"),
    path("sesi/<int:pk>/rtl/", pi.rtl_add, name="rtl-add"),
    path("rtl/<int:pk>/hapus/", pi.rtl_delete, name="rtl-delete"),
    path("rtl/<int:pk>/tandai/", pi.rtl_mark, name="rtl-mark"),
    path("sesi/<int:pk>/dokumentasi/", pi.dokumentasi_upload, name="dokumentasi-upload"),
    path("dokumentasi/<int:pk>/", pi.dokumentasi_berkas, name="dokumentasi-berkas"),
    path("dokumentasi/<int:pk>/thumb/", pi.dokumentasi_thumb, name="dokumentasi-thumb"),
    path("dokumentasi/<int:pk>/hapus/", pi.dokumentasi_delete, name="dokumentasi-delete"),
    path("sesi/<int:pk>/konfirmasi/", pi.sesi_confirm, name="sesi-confirm"),
    # the CGP's artefacts: the CGP writes, the PP comments
    path("cgp/<int:penugasan_pk>/artefak/", artefak.artefak_list, name="artefak-list"),
    path(
        "cgp/<int:penugasan_pk>/artefak/<str:jenis>/simpan/",
        artefak.artefak_save,
        name="artefak-save",
    ),
    path(
        "cgp/<int:penugasan_pk>/artefak/<str:jenis>/komentar/",
        artefak.artefak_comment,
        name="artefak-comment",
    ),
    # PI templates for operators, per version: what each lacks, editing, applying to sessions
    path("templat/", templat.templat_list, name="templat-list"),
    path("templat/<int:pk>/", templat.templat_edit, name="templat-edit"),
    path("templat/<int:pk>/terapkan/", templat.templat_apply, name="templat-apply"),
    path(
        "templat/versi/<int:versi_pk>/pi/<int:urutan>/buat/",
        templat.templat_create,
        name="templat-create",
    ),
    # Tempat sampah: deleted RTL and documentation, restorable
    path("sampah/", sampah.sampah, name="sampah"),
    path("sampah/rtl/<int:pk>/pulihkan/", sampah.rtl_restore, name="rtl-restore"),
    path(
        "sampah/dokumentasi/<int:pk>/pulihkan/",
        sampah.dokumentasi_restore,
        name="dokumentasi-restore",
    ),
    path("sesi/<int:pk>/pdf/", pi.sesi_pdf, name="sesi-pdf"),
    path("laporan/pi/<int:urutan>/pdf/", pi.laporan_pdf, name="laporan-pdf"),
    # Coaching kepala sekolah (PSP)
    path("coaching/", coaching.coaching_home, name="coaching-home"),
    path("coaching/sekolah/<int:sekolah_pk>/", coaching.coaching_sekolah, name="coaching-sekolah"),
    path(
        "coaching/sekolah/<int:sekolah_pk>/baru/",
        coaching.coaching_create,
        name="coaching-create",
    ),
    path(
        "coaching/sekolah/<int:sekolah_pk>/rencana/",
        coaching.rencana_edit,
        name="coaching-rencana",
    ),
    path("coaching/<int:pk>/", coaching.coaching_detail, name="coaching-detail"),
    path("coaching/<int:pk>/ubah/", coaching.coaching_edit, name="coaching-edit"),
    # Other PGP journals
    path("cgp/<int:penugasan_pk>/modul/", jurnal.pemantauan_list, name="pemantauan-list"),
    path(
        "cgp/<int:penugasan_pk>/modul/<str:modul>/",
        jurnal.pemantauan_edit,
        name="pemantauan-edit",
    ),
    path("fasilitasi/", jurnal.fasilitasi_list, name="fasilitasi-list"),
    path("fasilitasi/<str:modul>/", jurnal.fasilitasi_edit, name="fasilitasi-edit"),
    path("catatan/", jurnal.catatan_list, name="catatan-list"),
    path("kelas-daring/", kelas.kelas_list, name="kelas-list"),
    path("catatan/baru/", jurnal.catatan_create, name="catatan-create"),
    path("catatan/<int:pk>/", jurnal.catatan_detail, name="catatan-detail"),
]
