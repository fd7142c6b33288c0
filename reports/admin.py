from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports import services
from reports.models import (
    JenisTemplatLokakarya,
    KegiatanProgram,
    PengingatNonaktif,
    PengingatTerkirim,
)


@admin.register(KegiatanProgram)
class KegiatanProgramAdmin(SimpleHistoryAdmin):
    """The programme calendar: operators change it whenever the schedule does."""

    list_display = ("jenis", "tahun_ajaran", "bulan", "jp", "per_sekolah", "moda", "topik")
    list_filter = ("program", "tahun_ajaran", "jenis")
    list_editable = ("jp",)
    list_select_related = ("program",)
    ordering = ("program", "-tahun_ajaran", "jenis", "bulan")

    def save_model(self, request, obj, form, change):
        services.kegiatan_program_save(actor=request.user, kegiatan=obj)


@admin.register(JenisTemplatLokakarya)
class JenisTemplatLokakaryaAdmin(SimpleHistoryAdmin):
    list_display = ("templat", "jenis")
    list_select_related = ("templat",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the reminder tasks and the preferences page; looked at here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PengingatTerkirim)
class PengingatTerkirimAdmin(ReadOnlyAdmin):
    list_display = ("user", "jenis", "kunci", "sent_at")
    list_filter = ("jenis",)
    search_fields = ("user__username", "kunci")
    date_hierarchy = "sent_at"


@admin.register(PengingatNonaktif)
class PengingatNonaktifAdmin(ReadOnlyAdmin):
    list_display = ("user", "jenis", "created_at")
    list_filter = ("jenis",)
