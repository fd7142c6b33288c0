from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from program import orang_sama, resources
from program.models import (
    Angkatan,
    Balai,
    Berkas,
    JadwalLokakarya,
    Job,
    KabupatenKota,
    KalenderVersi,
    KelasDaring,
    Orang,
    PenugasanPP,
    PenugasanSekolah,
    PenugasanWilayah,
    Program,
    Provinsi,
    Sekolah,
    VersiProgram,
)
from program.versioning import save_versioned


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the operator loaded, so a stale admin save is refused."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_version"] = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if data.get("loaded_version") != current:
                raise ValidationError(
                    _(
                        "Data ini sudah diubah orang lain sejak Anda membukanya. "
                        "Muat ulang halaman untuk melihat versi terbaru."
                    )
                )
        return data


class VersionedAdminMixin:
    """Admin edits of versioned rows take the same conflict check as the app."""

    form = VersionedAdminForm

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        save_versioned(obj, expected_version=form.cleaned_data["loaded_version"])
        return None


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Records users keep in the app: operators look (and see the history) here;
    writes go through the app's services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Operators also see what users moved to the trash, and its history
        # (program.softdelete: the default manager leaves those rows out).
        manager = getattr(self.model, "semua", None)
        if manager is None:
            return super().get_queryset(request)
        ordering = self.get_ordering(request)
        qs = manager.get_queryset()
        return qs.order_by(*ordering) if ordering else qs


@admin.register(Provinsi)
class ProvinsiAdmin(SimpleHistoryAdmin):
    list_display = ("kode", "nama", "balai")
    list_select_related = ("balai",)
    search_fields = ("nama", "kode")


@admin.register(Balai)
class BalaiAdmin(SimpleHistoryAdmin):
    list_display = ("nama", "jenis", "kode")
    search_fields = ("nama", "kode")


@admin.register(KabupatenKota)
class KabupatenKotaAdmin(SimpleHistoryAdmin):
    list_display = ("kode", "nama", "provinsi")
    list_filter = ("provinsi",)
    search_fields = ("nama", "kode")


@admin.register(Sekolah)
class SekolahAdmin(ExportMixin, SimpleHistoryAdmin):
    resource_classes = [resources.SekolahResource]
    list_display = ("npsn", "nama", "jenjang", "status", "kabupaten")
    list_filter = ("jenjang", "status", "kabupaten")
    search_fields = ("nama", "npsn")
    list_select_related = ("kabupaten",)


class OrangAdminForm(VersionedAdminForm):
    """Adding a person offers the one who may already exist (orang_sama):
    the same name, titles and punctuation aside, at the same instansi."""

    tetap_tambah = forms.BooleanField(
        label=_("Tetap tambahkan sebagai orang baru"),
        required=False,
        help_text=_("Centang hanya bila orang yang mirip di atas memang orang lain."),
    )

    def clean(self):
        data = super().clean()
        if self.instance.pk or data.get("tetap_tambah") or not data.get("nama"):
            return data
        sama = orang_sama.mungkin_sama(data["nama"], instansi=data.get("instansi") or "")
        if sama:
            daftar = "; ".join(
                f"{o.nama} ({o.instansi or _('tanpa instansi')}, "
                f"{reverse('admin:program_orang_change', args=[o.pk])})"
                for o in sama
            )
            raise ValidationError(
                _(
                    "Mungkin sama dengan: %(daftar)s. Buka orang itu bila memang orangnya; "
                    "bila bukan, centang “Tetap tambahkan sebagai orang baru”."
                )
                % {"daftar": daftar}
            )
        return data


@admin.register(Orang)
class OrangAdmin(VersionedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    form = OrangAdminForm
    resource_classes = [resources.OrangResource]
    list_display = ("nama", "nip", "nuptk", "instansi", "user")
    search_fields = ("nama", "nip", "nuptk", "instansi", "user__username")
    autocomplete_fields = ("user",)
    list_select_related = ("user",)


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ("kode", "nama")


class JadwalLokakaryaInline(admin.TabularInline):
    model = JadwalLokakarya
    extra = 0


class KalenderVersiInline(admin.TabularInline):
    model = KalenderVersi
    extra = 0


@admin.register(VersiProgram)
class VersiProgramAdmin(SimpleHistoryAdmin):
    list_display = ("nama", "program", "jumlah_pi")
    list_filter = ("program",)
    inlines = [KalenderVersiInline]


@admin.register(Angkatan)
class AngkatanAdmin(SimpleHistoryAdmin):
    list_display = ("nama", "program", "versi", "tanggal_mulai", "tanggal_selesai")
    list_filter = ("program", "versi")
    list_select_related = ("program", "versi")
    inlines = [JadwalLokakaryaInline]


@admin.register(KelasDaring)
class KelasDaringAdmin(SimpleHistoryAdmin):
    list_display = ("nama", "angkatan", "fasilitator")
    list_filter = ("angkatan",)
    search_fields = ("nama", "fasilitator__nama")
    autocomplete_fields = ("fasilitator",)
    list_select_related = ("angkatan__program", "fasilitator")


@admin.register(PenugasanPP)
class PenugasanPPAdmin(SimpleHistoryAdmin):
    list_display = ("cgp", "pp", "sekolah", "angkatan", "kelas")
    list_filter = ("angkatan",)
    search_fields = ("cgp__nama", "pp__nama", "sekolah__nama")
    autocomplete_fields = ("pp", "cgp", "sekolah")
    list_select_related = ("cgp", "pp", "sekolah", "angkatan__program", "kelas")


@admin.register(PenugasanSekolah)
class PenugasanSekolahAdmin(ExportMixin, SimpleHistoryAdmin):
    resource_classes = [resources.PenugasanSekolahResource]
    list_display = ("orang", "peran", "sekolah")
    list_filter = ("peran",)
    search_fields = ("orang__nama", "sekolah__nama", "sekolah__npsn")
    autocomplete_fields = ("orang", "sekolah")
    list_select_related = ("orang", "sekolah")


@admin.register(PenugasanWilayah)
class PenugasanWilayahAdmin(SimpleHistoryAdmin):
    list_display = ("orang", "peran", "kabupaten", "balai")
    list_filter = ("peran",)
    list_select_related = ("orang", "kabupaten", "balai")
    autocomplete_fields = ("orang", "kabupaten", "balai")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("kind", "status", "progress", "requested_by", "created_at", "finished_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Berkas)
class BerkasAdmin(admin.ModelAdmin):
    list_display = ("nama_asli", "mime", "ukuran", "diunggah_oleh", "created_at")
    readonly_fields = [f.name for f in Berkas._meta.fields]

    def has_add_permission(self, request):
        return False
