from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pmo.models import (
    AkarMasalah,
    CatatanBulanan,
    ForumPokja,
    InstrumenPMO,
    PenangananEskalasi,
    PeriodePMO,
    PerubahanStatus,
    Solusi,
    TindakLanjut,
    TopikPMO,
    UmpanBalik,
)
from program.admin import ReadOnlyHistoryAdmin


class TopikInline(admin.TabularInline):
    model = TopikPMO
    extra = 0


@admin.register(PeriodePMO)
class PeriodePMOAdmin(SimpleHistoryAdmin):
    list_display = ("ke", "nama", "bulan_1", "bulan_2")
    inlines = [TopikInline]


@admin.register(InstrumenPMO)
class InstrumenPMOAdmin(ReadOnlyHistoryAdmin):
    list_display = ("sekolah", "tahun_ajaran", "updated_at")
    list_filter = ("tahun_ajaran",)
    search_fields = ("sekolah__nama", "sekolah__npsn")
    list_select_related = ("sekolah",)


@admin.register(TindakLanjut)
class TindakLanjutAdmin(ReadOnlyHistoryAdmin):
    list_display = ("aktivitas", "instrumen", "status", "diperbarui_at")
    list_filter = ("status",)
    list_select_related = ("instrumen__sekolah",)


for model in (
    AkarMasalah,
    Solusi,
    CatatanBulanan,
    UmpanBalik,
    ForumPokja,
    PerubahanStatus,
    PenangananEskalasi,
):
    admin.site.register(
        model, ReadOnlyHistoryAdmin if hasattr(model, "history") else admin.ModelAdmin
    )
