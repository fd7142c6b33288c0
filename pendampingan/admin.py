from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from pendampingan.models import (
    CatatanPP,
    Dokumentasi,
    JurnalFasilitasi,
    JurnalPemantauan,
    JurnalPendampingan,
    LangkahPI,
    RencanaCoaching,
    RencanaTindakLanjut,
    SesiCoaching,
    SesiPI,
    TemplatPI,
)
from pendampingan.services import templat_check_minutes
from program.admin import ReadOnlyHistoryAdmin


class LangkahFormSet(BaseInlineFormSet):
    """Refuse a template whose steps do not add up to the minutes of each part."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        steps = [
            {"bagian": f.cleaned_data["bagian"], "menit": f.cleaned_data["menit"]}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        parent = self.instance
        # The parent's own minutes come from the main form, already on the instance.
        templat_check_minutes(parent, steps)


class LangkahInline(admin.StackedInline):
    model = LangkahPI
    formset = LangkahFormSet
    extra = 0
    fields = ("urutan", "bagian", "judul", "menit", "kegiatan", "pertanyaan")


@admin.register(TemplatPI)
class TemplatPIAdmin(SimpleHistoryAdmin):
    list_display = ("urutan", "versi", "tema", "lokakarya_ke", "status_panduan")
    list_filter = ("versi",)
    inlines = [LangkahInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("versi").prefetch_related("langkah")

    @admin.display(description=_("panduan"))
    def status_panduan(self, templat: TemplatPI) -> str:
        kekurangan = templat.kekurangan()
        if not kekurangan:
            return str(_("lengkap"))
        return str(_("belum lengkap: %(apa)s")) % {"apa": ", ".join(kekurangan)}


@admin.register(SesiPI)
class SesiPIAdmin(ReadOnlyHistoryAdmin):
    list_display = ("penugasan", "urutan", "tanggal", "moda")
    list_filter = ("urutan", "moda")
    list_select_related = ("penugasan__cgp", "penugasan__pp")
    search_fields = ("penugasan__cgp__nama", "penugasan__pp__nama")


@admin.register(JurnalPendampingan)
class JurnalPendampinganAdmin(ReadOnlyHistoryAdmin):
    list_display = ("sesi", "status", "diajukan_at", "updated_at")
    list_filter = ("status",)
    list_select_related = ("sesi__penugasan__cgp",)


for model in (
    RencanaTindakLanjut,
    Dokumentasi,
    JurnalPemantauan,
    JurnalFasilitasi,
    CatatanPP,
    SesiCoaching,
    RencanaCoaching,
):
    admin.site.register(model, ReadOnlyHistoryAdmin)
