from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from program.models import Orang
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
