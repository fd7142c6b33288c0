from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lokakarya.models import (
    Kelompok,
    Lokakarya,
    Peserta,
    Produk,
    TahapLokakarya,
    TahapTemplat,
    TemplatLokakarya,
)
from program.admin import ReadOnlyHistoryAdmin


class TahapTemplatInline(admin.StackedInline):
    model = TahapTemplat
    extra = 0
    fields = (
        "urutan",
        "hari",
        "nama",
        "alur",
        "jenis",
        "menit",
        "tujuan",
        "kegiatan",
        "bahan",
        "persiapan",
    )


@admin.register(TemplatLokakarya)
class TemplatLokakaryaAdmin(SimpleHistoryAdmin):
    list_display = ("nama", "kode", "program", "moda", "jp")
    list_filter = ("program", "moda")
    inlines = [TahapTemplatInline]


@admin.register(Lokakarya)
class LokakaryaAdmin(ReadOnlyHistoryAdmin):
    list_display = ("nama", "tanggal_mulai", "moda", "fasilitator", "kabupaten")
    list_filter = ("moda", "program", "kabupaten")
    search_fields = ("nama", "fasilitator__nama")
    list_select_related = ("fasilitator", "kabupaten")


for model in (TahapLokakarya, Peserta, Kelompok, Produk):
    admin.site.register(model, ReadOnlyHistoryAdmin)
