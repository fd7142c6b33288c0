"""Forms of PI 1–6: validation and layout only; views pass cleaned data to services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from pendampingan.models import JenisDokumentasi, RencanaTindakLanjut, SesiPI, StatusTindakLanjut
from program.uploads import UploadField
from program.versioning import VersionedFormMixin


def _helper(label: str, *, action: str = "", css: str = "btn-primary") -> FormHelper:
    helper = FormHelper()
    if action:
        helper.form_action = action
    button = Submit("simpan", label)
    button.field_classes = f"btn {css} w-100"  # replace crispy's default "btn btn-primary"
    helper.add_input(button)
    return helper


class JadwalForm(VersionedFormMixin, forms.ModelForm):
    # 0: the page was shown before the session existed (scheduling plans it).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    tautan = forms.URLField(
        label=_("Tautan pertemuan"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = SesiPI
        fields = ("tanggal", "jam_mulai", "moda", "tempat", "tautan")
        widgets = {
            "tanggal": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "jam_mulai": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.is_bound:
            self.initial["version"] = 0
        self.fields["tanggal"].required = True
        self.fields["moda"].required = True
        self.helper = _helper(_("Simpan jadwal"), action=action)


class JurnalForm(forms.Form):
    """One answer box per step of the session's template snapshot."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    sudah_baik = forms.CharField(
        label=_("Yang sudah baik"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    perlu_ditingkatkan = forms.CharField(
        label=_("Yang perlu ditingkatkan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    catatan = forms.CharField(
        label=_("Catatan lain"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, snapshot: dict, jurnal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = []
        for step in snapshot.get("langkah", []):
            name = f"langkah_{step['urutan']}"
            self.fields[name] = forms.CharField(
                label=f"{step['judul']} ({step['menit']}′)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.steps.append({**step, "field": name})
        if jurnal is not None and not self.is_bound:
            self.initial["version"] = jurnal.version
            for key, value in jurnal.jawaban.items():
                self.initial[f"langkah_{key}"] = value
            for field in ("sudah_baik", "perlu_ditingkatkan", "catatan"):
                self.initial[field] = getattr(jurnal, field)

    def step_fields(self):
        return [(step, self[step["field"]]) for step in self.steps]


class RTLForm(forms.ModelForm):
    class Meta:
        model = RencanaTindakLanjut
        fields = ("kegiatan", "target", "waktu")
        labels = {"waktu": _("Kapan")}

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Tambah rencana"), action=action, css="btn-outline-primary")


class RTLTandaiForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[c for c in StatusTindakLanjut.choices if c[0]]
    )
    catatan = forms.CharField(label=_("Catatan"), required=False, max_length=2000)


class DokumentasiForm(forms.Form):
    berkas = UploadField(label=_("Berkas"))
    jenis = forms.ChoiceField(label=_("Jenis"), choices=JenisDokumentasi.choices)
    keterangan = forms.CharField(label=_("Keterangan"), required=False, max_length=500)

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Unggah"), action=action, css="btn-outline-primary")
        self.helper.attrs = {"enctype": "multipart/form-data"}


class KonfirmasiForm(forms.Form):
    komentar = forms.CharField(
        label=_("Komentar Anda"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BukaKembaliForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan membuka kembali"), max_length=500)
