from django.urls import path

from komunitas.views import jadwal, karya, komunitas, laporan, siklus, tahap

app_name = "komunitas"

urlpatterns = [
    # communities
    path("", komunitas.beranda, name="home"),
    path("baru/<int:sekolah_pk>/", komunitas.komunitas_create, name="create"),
    path("<int:pk>/", komunitas.detail, name="detail"),
    path("<int:pk>/ubah/", komunitas.komunitas_edit, name="edit"),
    # schedule, meetings, iCal
    path("<int:pk>/jadwal/", jadwal.jadwal, name="jadwal"),
    path("<int:pk>/jadwal/<int:jadwal_pk>/hapus/", jadwal.jadwal_delete, name="jadwal-delete"),
    path("<int:pk>/pertemuan/", jadwal.pertemuan_create, name="pertemuan-create"),
    path("pertemuan/<int:pk>/", jadwal.pertemuan, name="pertemuan"),
    path("ical/<str:token>.ics", jadwal.ical, name="ical"),
    path("<int:pk>/ical/ganti/", komunitas.ical_reset, name="ical-reset"),
    # inquiry cycles
    path("<int:pk>/siklus/", siklus.siklus_list, name="siklus-list"),
    path("<int:pk>/siklus/baru/", siklus.siklus_create, name="siklus-create"),
    path("siklus/<int:pk>/", siklus.detail, name="siklus"),
    path("siklus/<int:pk>/bukti/", siklus.bukti, name="siklus-bukti"),
    path("bukti-siklus/<int:pk>/", siklus.berkas, name="siklus-berkas"),
    # the five stages and the progress map
    path("sekolah/<int:sekolah_pk>/tahap/", tahap.tahap, name="tahap"),
    path("sekolah/<int:sekolah_pk>/tahap/<int:n>/", tahap.tahap_save, name="tahap-save"),
    path("bukti-tahap/<int:pk>/", tahap.berkas, name="tahap-berkas"),
    path("peta/", tahap.peta, name="peta"),
    # good practice, action plan, guideline, tests and surveys
    path("<int:pk>/praktik-baik/", karya.praktik_list, name="praktik-list"),
    path("<int:pk>/praktik-baik/baru/", karya.praktik_create, name="praktik-create"),
    path("praktik-baik/<int:pk>/", karya.praktik, name="praktik"),
    path("praktik-baik/<int:pk>/ubah/", karya.praktik_edit, name="praktik-edit"),
    path("<int:pk>/rencana/", karya.rencana, name="rencana"),
    path("rencana/<int:pk>/", karya.rencana_edit, name="rencana-edit"),
    path("<int:pk>/pedoman/", karya.pedoman, name="pedoman"),
    path("pedoman/versi/<int:pk>/berkas/", karya.pedoman_berkas, name="pedoman-berkas"),
    path(
        "pedoman/versi/<int:pk>/umpan-balik/",
        karya.pedoman_umpan_balik,
        name="pedoman-umpan-balik",
    ),
    path("<int:pk>/kegiatan/", karya.kegiatan_list, name="kegiatan-list"),
    path("kegiatan/<int:pk>/", karya.kegiatan, name="kegiatan"),
    # PDF
    path("sekolah/<int:sekolah_pk>/laporan/", laporan.laporan_pdf, name="laporan-pdf"),
]
