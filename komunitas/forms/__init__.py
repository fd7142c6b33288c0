"""Forms of communities, schedules, meetings and inquiry cycles: validation and
layout only; views pass cleaned data to komunitas.services."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from komunitas.models import (
    Frekuensi,
    JadwalRutin,
    KomunitasBelajar,
    Pertemuan,
    SiklusInkuiri,
)
from program.models import Orang, Peran
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


class _VersionedOnEdit(VersionedFormMixin):
    """A new row has no version yet: the hidden field only matters when editing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance and self.instance.pk):
            del self.fields["version"]


class KomunitasForm(_VersionedOnEdit, forms.ModelForm):
    tautan_pmm = forms.URLField(
        label=_("Tautan PMM"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("Wajib diisi bila komunitas sudah terdaftar di PMM."),
    )

    class Meta:
        model = KomunitasBelajar
        fields = (
            "nama",
            "jenis",
            "cakupan",
            "pic",
            "anggota",
            "terdaftar_pmm",
            "tautan_pmm",
            "tujuan",
        )
        widgets = {
            "anggota": forms.CheckboxSelectMultiple,
            "tujuan": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, orang=None, action: str = "", **kwargs):
        """`orang`: the people who may be PIC or member (scoped by the view).
        Without it (the re-offered form on a conflict page) the pool is the
        school's people plus those already chosen."""
        super().__init__(*args, **kwargs)
        if orang is None:
            orang = _pool_of_school(self.instance)
        pool = orang.order_by("nama")
        self.fields["pic"].queryset = pool
        self.fields["anggota"].queryset = pool
        self.fields["anggota"].required = False
        self.helper = _helper(_("Simpan komunitas"), action=action)


# Who can belong to a community: the school's own staff. Facilitators and
# supervisors read and give feedback from outside.
PERAN_ANGGOTA = (Peran.GURU, Peran.KEPALA_SEKOLAH, Peran.PIC_KOMUNITAS, Peran.OPERATOR_SEKOLAH)


def orang_pool(sekolah_ids, komunitas: KomunitasBelajar | None = None):
    """People who may be PIC or member: staff of one of the schools (a queryset
    of ids), plus whoever the community already has."""
    who = Q(
        penugasan_sekolah__sekolah__in=sekolah_ids,
        penugasan_sekolah__peran__in=PERAN_ANGGOTA,
    )
    if komunitas is not None and komunitas.pk:
        who |= Q(pk__in=komunitas.anggota.values("pk")) | Q(pk=komunitas.pic_id)
    return Orang.objects.filter(pk__in=Orang.objects.filter(who).values("pk"))


def _pool_of_school(komunitas: KomunitasBelajar):
    return orang_pool([komunitas.sekolah_id], komunitas)


MINGGU_KE_CHOICES = [
    ("", _("— (hanya untuk jadwal bulanan) —")),
    (1, _("Pertama")),
    (2, _("Kedua")),
    (3, _("Ketiga")),
    (4, _("Keempat")),
    (5, _("Kelima")),
    (-1, _("Terakhir")),
]


class JadwalForm(forms.ModelForm):
    minggu_ke = forms.TypedChoiceField(
        label=_("Minggu ke- (bulanan)"),
        choices=MINGGU_KE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Mis. Kamis kedua setiap bulan, atau Jumat terakhir."),
    )

    class Meta:
        model = JadwalRutin
        fields = (
            "frekuensi",
            "hari",
            "minggu_ke",
            "jam_mulai",
            "durasi_menit",
            "mulai",
            "sampai",
            "tempat",
        )
        widgets = {
            "jam_mulai": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "mulai": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sampai": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Tambah jadwal"), action=action, css="btn-outline-primary")

    def clean(self):
        data = super().clean()
        if data.get("frekuensi") != Frekuensi.BULANAN:
            data["minggu_ke"] = None
        return data


class PertemuanForm(_VersionedOnEdit, forms.ModelForm):
    class Meta:
        model = Pertemuan
        fields = ("waktu", "topik", "catatan", "hadir")
        widgets = {
            "waktu": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "catatan": forms.Textarea(attrs={"rows": 5}),
            "hadir": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, komunitas: KomunitasBelajar | None = None, action: str = "", **kw):
        super().__init__(*args, **kw)
        komunitas = komunitas or self.instance.komunitas
        # Attendance is ticked from the community's members (and its PIC).
        self.fields["hadir"].queryset = Orang.objects.filter(
            Q(pk__in=komunitas.anggota.values("pk")) | Q(pk=komunitas.pic_id)
        ).order_by("nama")
        self.fields["hadir"].required = False
        self.helper = _helper(_("Simpan pertemuan"), action=action)


class SiklusBaruForm(forms.ModelForm):
    class Meta:
        model = SiklusInkuiri
        fields = ("fokus", "refleksi_awal")
        widgets = {"refleksi_awal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["refleksi_awal"].help_text = _(
            "Boleh diisi nanti: analisis data belajar murid yang menjadi titik awal."
        )
        self.helper = _helper(_("Mulai siklus baru"), action=action, css="btn-outline-primary")


# The four stages of an inquiry cycle and the notes each one keeps.
TAHAP_SIKLUS: list[tuple[str, str, tuple[str, ...]]] = [
    ("refleksi_awal", _("Refleksi awal"), ("refleksi_awal",)),
    ("perencanaan", _("Perencanaan"), ("perencanaan",)),
    ("implementasi", _("Implementasi"), ("implementasi", "asesmen_formatif")),
    ("evaluasi", _("Evaluasi"), ("evaluasi", "selesai")),
]
TAHAP_SIKLUS_CHOICES = [(key, label) for key, label, _fields in TAHAP_SIKLUS]
_TAHAP_FIELDS = {key: fields for key, _label, fields in TAHAP_SIKLUS}


class SiklusTahapForm(VersionedFormMixin, forms.ModelForm):
    """The notes of one stage of a cycle. The stage travels as a hidden field so
    the form re-offered after a conflict knows which notes it holds."""

    tahap = forms.ChoiceField(choices=TAHAP_SIKLUS_CHOICES, widget=forms.HiddenInput)

    class Meta:
        model = SiklusInkuiri
        fields = (
            "refleksi_awal",
            "perencanaan",
            "implementasi",
            "asesmen_formatif",
            "evaluasi",
            "selesai",
        )
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in (
                "refleksi_awal",
                "perencanaan",
                "implementasi",
                "asesmen_formatif",
                "evaluasi",
            )
        }

    def __init__(self, *args, tahap: str | None = None, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        tahap = tahap or self.data.get("tahap") or "refleksi_awal"
        if tahap not in _TAHAP_FIELDS:
            tahap = "refleksi_awal"
        self.tahap = tahap
        self.initial["tahap"] = tahap
        for name in list(self.Meta.fields):
            if name not in _TAHAP_FIELDS[tahap]:
                del self.fields[name]
        if "selesai" in self.fields:
            self.fields["selesai"].help_text = _(
                "Siklus dapat ditandai selesai setelah evaluasi bersama ditulis."
            )
        self.helper = _helper(_("Simpan catatan"), action=action, css="btn-outline-primary")

    def stage_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in _TAHAP_FIELDS[self.tahap]}


class BuktiSiklusForm(forms.Form):
    tahap = forms.ChoiceField(label=_("Tahap"), choices=TAHAP_SIKLUS_CHOICES)
    berkas = UploadField(label=_("Berkas bukti"))
    keterangan = forms.CharField(label=_("Keterangan"), required=False, max_length=255)
