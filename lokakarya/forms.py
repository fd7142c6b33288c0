from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from lokakarya.models import Lokakarya, PeranPeserta, TahapLokakarya, TemplatLokakarya
from program.models import Orang
from program.versioning import VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _submit(helper: FormHelper, label: str, css: str = "btn-primary") -> None:
    button = Submit("simpan", label)
    button.field_classes = f"btn {css} w-100"
    helper.add_input(button)


class LokakaryaForm(forms.ModelForm):
    tautan = forms.URLField(label=_("Tautan daring"), required=False, assume_scheme="https")

    class Meta:
        model = Lokakarya
        fields = (
            "nama",
            "moda",
            "tanggal_mulai",
            "tanggal_selesai",
            "tempat",
            "tautan",
            "kabupaten",
            "fasilitator_2",
        )
        widgets = {"tanggal_mulai": DATE, "tanggal_selesai": DATE}

    def __init__(self, *args, fasilitator: Orang | None = None, kabupaten_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kabupaten_qs is not None:
            self.fields["kabupaten"].queryset = kabupaten_qs
        if "fasilitator_2" in self.fields:
            others = Orang.objects.filter(penugasan_sekolah__peran="fasilitator").distinct()
            if fasilitator is not None:
                others = others.exclude(pk=fasilitator.pk)
            self.fields["fasilitator_2"].queryset = others
            self.fields["fasilitator_2"].required = False
            self.fields["fasilitator_2"].help_text = _(
                "Isi bila kelas difasilitasi dua orang: slot monitoring PMO dibagi dua."
            )

    def clean(self):
        data = super().clean()
        if data.get("moda") == "daring" and not data.get("tautan"):
            self.add_error("tautan", _("Lokakarya daring memerlukan tautan."))
        if data.get("moda") == "luring" and not data.get("tempat"):
            self.add_error("tempat", _("Lokakarya luring memerlukan tempat."))
        return data


class LokakaryaCreateForm(LokakaryaForm):
    templat = forms.ModelChoiceField(
        label=_("Templat agenda"),
        queryset=TemplatLokakarya.objects.select_related("program", "versi"),
        help_text=_("Agenda disalin dari templat; menit dapat disesuaikan untuk lokakarya ini."),
    )

    class Meta(LokakaryaForm.Meta):
        fields = ("templat", *LokakaryaForm.Meta.fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A name that several programme versions use says whose template it is.
        names = [t.nama for t in self.fields["templat"].queryset]
        shared = {n for n in names if names.count(n) > 1}
        self.fields["templat"].label_from_instance = lambda t: (
            f"{t.nama} ({t.versi.nama})" if t.nama in shared else t.nama
        )
        self.helper = FormHelper()
        _submit(self.helper, _("Buat lokakarya"))


class LokakaryaEditForm(VersionedFormMixin, LokakaryaForm):
    class Meta(LokakaryaForm.Meta):
        fields = tuple(f for f in LokakaryaForm.Meta.fields if f != "fasilitator_2")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        _submit(self.helper, _("Simpan"))


class PesertaTambahForm(forms.Form):
    penugasan = forms.MultipleChoiceField(
        label=_("Pilih peserta dari sekolah dampingan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, calon=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.calon = {str(p.pk): p for p in calon}
        self.fields["penugasan"].choices = [
            (str(p.pk), f"{p.orang.nama} — {p.get_peran_display()}, {p.sekolah.nama}")
            for p in calon
        ]


class PesertaLainForm(forms.Form):
    """A participant from outside the facilitator's schools (e.g. a dinas staff)."""

    nama = forms.CharField(label=_("Nama lengkap dengan gelar"), max_length=200)
    instansi = forms.CharField(label=_("Instansi"), max_length=200)
    peran = forms.ChoiceField(label=_("Unsur"), choices=PeranPeserta.choices)


class TahapForm(forms.ModelForm):
    """One stage of a workshop's agenda, as the facilitator writes it."""

    menit_rencana = forms.IntegerField(label=_("Menit"), min_value=0, max_value=600)

    class Meta:
        model = TahapLokakarya
        fields = ("hari", "nama", "alur", "menit_rencana", "tujuan", "kegiatan", "bahan")
        labels = {"alur": _("Tahap MERRDEKA")}
        widgets = {
            "tujuan": forms.Textarea(attrs={"rows": 2}),
            "kegiatan": forms.Textarea(attrs={"rows": 3}),
            "bahan": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"bahan": _("Satu bahan per baris.")}

    def __init__(self, *args, daring: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not daring:  # a one-day workshop in a hall: every stage is day 1
            self.fields["hari"].widget = forms.HiddenInput()
        if not self.instance.pk:
            self.initial.setdefault("hari", 1)


class MenitForm(forms.Form):
    menit = forms.IntegerField(label=_("Menit"), min_value=0, max_value=600)


class KesepakatanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    kesepakatan_kelas = forms.CharField(
        label=_("Kesepakatan kelas"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
