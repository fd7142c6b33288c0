from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from program.models import MAKS_PI, Orang, VersiProgram
from program.services import PROFIL_FIELDS
from program.versioning import VersionedFormMixin


class ProfilForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Orang
        fields = PROFIL_FIELDS
        help_texts = {
            "nama": _(
                "Tulis persis seperti di dokumen resmi, dengan gelar, mis. “Khosiah, S.Pd., M.Si”."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("simpan", _("Simpan"), css_class="btn-primary w-100"))


class VersiProgramForm(forms.Form):
    """A new programme version, copied from one of the same programme."""

    dari = forms.ModelChoiceField(
        label=_("Salin dari versi"),
        queryset=None,
        help_text=_(
            "Templat PI, templat lokakarya dan kalendernya disalin; ubah yang berbeda sesudahnya."
        ),
    )
    nama = forms.CharField(label=_("Nama versi baru"), max_length=100)
    jumlah_pi = forms.IntegerField(
        label=_("Jumlah PI"),
        min_value=0,
        max_value=MAKS_PI,
        initial=6,
        help_text=_("Misalnya 6 untuk angkatan 6 bulan, 7 untuk angkatan 9 bulan."),
    )
    keterangan = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dari"].queryset = VersiProgram.objects.select_related("program").order_by(
            "program__kode", "pk"
        )
        self.fields["dari"].label_from_instance = lambda v: f"{v.program.kode} — {v.nama}"


class VersiUbahForm(forms.Form):
    """A version's own fields; its calendar is the formset beside it."""

    nama = forms.CharField(label=_("Nama versi"), max_length=100)
    jumlah_pi = forms.IntegerField(
        label=_("Jumlah PI"),
        min_value=0,
        max_value=MAKS_PI,
        help_text=_(
            "Misalnya 6 untuk angkatan 6 bulan, 7 untuk angkatan 9 bulan. PI tambahan belum "
            "punya templat: buat di halaman Templat PI."
        ),
    )
    keterangan = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    riwayat = forms.CharField(widget=forms.HiddenInput)


class KalenderVersiForm(forms.Form):
    """One workshop of a version's calendar: which one, and in which week."""

    ke = forms.IntegerField(
        label=_("Lokakarya ke-"),
        min_value=0,
        max_value=20,
        required=False,
        help_text=_("0 = Lokakarya Orientasi."),
    )
    minggu_ke = forms.IntegerField(
        label=_("Minggu ke-"),
        min_value=1,
        max_value=104,
        required=False,
        help_text=_("Dihitung dari tanggal mulai angkatan (minggu pertama = 1)."),
    )

    def clean(self):
        data = super().clean()
        if (data.get("ke") is None) != (data.get("minggu_ke") is None) and not data.get("DELETE"):
            raise forms.ValidationError(
                _("Isi lokakarya ke- dan minggu ke-, atau kosongkan keduanya.")
            )
        return data


KalenderVersiFormSet = forms.formset_factory(KalenderVersiForm, extra=2, can_delete=True)
