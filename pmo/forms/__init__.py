"""Forms of the PMO instrument: validation and layout only; views pass cleaned data
to pmo.services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmo import reference
from pmo.models import (
    TRANSISI_STATUS,
    AkarMasalah,
    InstrumenPMO,
    Solusi,
    StatusTindakLanjut,
    TindakLanjut,
)
from pmo.services import INSTRUMEN_FIELDS, TINDAK_LANJUT_FIELDS
from program.dates import month_start
from program.uploads import UploadField
from program.versioning import VersionedFormMixin


def _helper(label: str, *, action: str = "", css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    if action:
        helper.form_action = action
    button = Submit("simpan", label)
    button.field_classes = f"btn {css} w-100"
    helper.add_input(button)
    return helper


def _new_rows_need_no_version(form: forms.BaseForm) -> None:
    """A row being created has no version to compare yet."""
    instance = getattr(form, "instance", None)
    if instance is None or instance._state.adding:
        form.fields["version"].required = False


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- steps 1 and 2: the instrument's own text -------------------------------------


class Langkah1Form(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = InstrumenPMO
        fields = INSTRUMEN_FIELDS[1]
        widgets = {
            "data_refleksi": _textarea(5),
            "tujuan_sekolah": _textarea(),
            "target_sekolah": _textarea(),
        }

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Simpan langkah 1"), action=action)


class Langkah2Form(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = InstrumenPMO
        fields = INSTRUMEN_FIELDS[2]
        widgets = {"masalah_prioritas": _textarea()}

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Simpan langkah 2"), action=action)


LANGKAH_FORMS = {1: Langkah1Form, 2: Langkah2Form}


class AkarMasalahForm(forms.ModelForm):
    class Meta:
        model = AkarMasalah
        fields = ("uraian", "indikator_rapor", "prioritas")
        widgets = {"uraian": _textarea(2)}

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Tambah akar masalah"), action=action, css="btn-outline-primary")


# --- step 3: candidate solutions and the four criteria ---------------------------

# "" is a real answer here: the criterion has not been discussed yet.
KRITERIA_CHOICES = [("True", _("Ya")), ("False", _("Tidak")), ("", _("Belum dijawab"))]


def kriteria_texts() -> list[str]:
    """The four criteria in the programme's wording, in Solusi.KRITERIA order."""
    for step in reference.langkah():
        if step.get("kriteria"):
            return list(step["kriteria"])
    return [str(Solusi._meta.get_field(name).verbose_name) for name in Solusi.KRITERIA]


def _kriteria_field(name: str) -> forms.NullBooleanField:
    return forms.NullBooleanField(
        label=Solusi._meta.get_field(name).verbose_name,
        required=False,
        widget=forms.RadioSelect(choices=KRITERIA_CHOICES),
    )


class SolusiForm(VersionedFormMixin, forms.ModelForm):
    mendesak = _kriteria_field("mendesak")
    dapat_dilakukan = _kriteria_field("dapat_dilakukan")
    sumber_daya = _kriteria_field("sumber_daya")
    mendukung_target = _kriteria_field("mendukung_target")

    class Meta:
        model = Solusi
        fields = ("uraian", "akar_masalah", *Solusi.KRITERIA, "disepakati")
        widgets = {"uraian": _textarea()}
        labels = {"akar_masalah": _("Untuk akar masalah")}
        help_texts = {
            "disepakati": _("Hanya bisa dicentang bila keempat kriteria sudah dijawab."),
        }

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        _new_rows_need_no_version(self)
        for name, text in zip(Solusi.KRITERIA, kriteria_texts(), strict=False):
            self.fields[name].label = text
        self.fields["akar_masalah"].queryset = AkarMasalah.objects.filter(
            instrumen_id=self.instance.instrumen_id
        )
        self.fields["akar_masalah"].empty_label = _("(tidak dikaitkan)")
        self.helper = _helper(_("Simpan solusi"), action=action)


# --- step 4: actions, their status and monthly notes -------------------------------


class TindakLanjutForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = TindakLanjut
        fields = TINDAK_LANJUT_FIELDS
        widgets = {
            "tujuan": _textarea(2),
            "indikator_keberhasilan": _textarea(2),
            "pihak_terlibat": _textarea(3),
            "mulai": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "selesai": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"solusi": _("Dari solusi")}

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        _new_rows_need_no_version(self)
        self.fields["solusi"].queryset = Solusi.objects.filter(
            instrumen_id=self.instance.instrumen_id
        ).order_by("-disepakati", "pk")
        self.fields["solusi"].empty_label = _("(tidak dikaitkan)")
        self.helper = _helper(_("Simpan tindak lanjut"), action=action)


class StatusForm(VersionedFormMixin, forms.Form):
    """Change an action's status. Only the allowed next statuses are offered; the
    service checks again, so a hand-made request is refused with its reason."""

    status = forms.ChoiceField(label=_("Status baru"), choices=StatusTindakLanjut.choices)
    alasan = forms.CharField(
        label=_("Alasan perubahan"),
        widget=_textarea(2),
        help_text=_("Wajib: apa yang terjadi sehingga status berubah."),
    )

    def __init__(self, *args, instance: TindakLanjut, action: str = "", **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        allowed = TRANSISI_STATUS[instance.status]
        self.allowed = [(v, label) for v, label in StatusTindakLanjut.choices if v in allowed]
        self.fields["status"].widget.choices = self.allowed
        self.helper = _helper(_("Ubah status"), action=action)


class CatatanBulananForm(VersionedFormMixin, forms.Form):
    """The month's implementation notes (one record per action and month)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    bulan = forms.DateField(
        label=_("Bulan"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    berjalan_baik = forms.CharField(
        label=_("Yang sudah berjalan baik"), required=False, widget=_textarea()
    )
    belum_berjalan = forms.CharField(
        label=_("Yang belum berjalan baik"), required=False, widget=_textarea()
    )
    kendala = forms.CharField(label=_("Kendala yang dihadapi"), required=False, widget=_textarea())
    solusi = forms.CharField(label=_("Solusi atas kendala"), required=False, widget=_textarea())

    TEXT_FIELDS = ("berjalan_baik", "belum_berjalan", "kendala", "solusi")

    def __init__(self, *args, instance=None, action: str = "", **kwargs):
        """`instance`: the note being edited (this month's, if there is one)."""
        self.instance = instance
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Simpan catatan bulanan"), action=action)
        if self.is_bound:
            return
        if instance is not None:
            self.initial["bulan"] = instance.bulan
            self.initial["version"] = instance.version
            for name in self.TEXT_FIELDS:
                self.initial[name] = getattr(instance, name)
        else:
            self.initial.setdefault("bulan", month_start(timezone.localdate()))
            self.initial.setdefault("version", 0)


# --- attachments --------------------------------------------------------------------


class LampiranForm(forms.Form):
    berkas = UploadField(label=_("Berkas"))
    keterangan = forms.CharField(
        label=_("Keterangan"),
        required=False,
        max_length=255,
        help_text=_("Mis. “Rapor Pendidikan 2026, halaman literasi”."),
    )
    langkah = forms.TypedChoiceField(
        label=_("Untuk langkah"),
        coerce=int,
        initial=1,
        choices=[
            (1, _("1. Refleksi (data yang digunakan)")),
            (2, _("2. Akar masalah")),
            (3, _("3. Solusi")),
            (4, _("4. Tindak lanjut")),
        ],
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Unggah lampiran"), action=action, css="btn-outline-primary")
        self.helper.attrs = {"enctype": "multipart/form-data"}
