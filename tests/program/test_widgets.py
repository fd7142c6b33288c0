"""SelectPanjang writes the same <select> as Django's Select, without a template per option."""

import pytest
from django import forms
from django.test.html import parse_html

from program.models import KabupatenKota
from program.widgets import SelectPanjang
from tests.factories import KabupatenFactory


def both(field_factory, data):
    class Stock(forms.Form):
        pilihan = field_factory(forms.Select)

    class Ours(forms.Form):
        pilihan = field_factory(SelectPanjang)

    return str(Stock(data)["pilihan"]), str(Ours(data)["pilihan"])


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"pilihan": ""}, "second", {"pilihan": "tidak-ada"}])
def test_model_choices_render_as_django_does(data):
    KabupatenFactory(nama="Kab. <Lombok> & Timur")
    second = KabupatenFactory(nama="Kota Mataram")
    if data == "second":
        data = {"pilihan": str(second.pk)}

    def field(widget):
        return forms.ModelChoiceField(
            queryset=KabupatenKota.objects.order_by("nama"),
            required=False,
            empty_label="Semua kabupaten/kota",
            widget=widget(attrs={"class": "form-select", "aria-label": "Kabupaten"}),
        )

    stock, ours = both(field, data)
    assert parse_html(ours) == parse_html(stock)
    assert "Kab. &lt;Lombok&gt; &amp; Timur" in ours  # escaped, not markup
    if data and data["pilihan"] == str(second.pk):
        assert f'<option value="{second.pk}" selected>Kota Mataram</option>' in ours


def test_plain_and_grouped_choices_render_as_django_does():
    choices = [("", "Semua"), ("Dasar", [("SD", "SD"), ("SMP", "SMP")]), ("SMA", "SMA")]

    def field(widget):
        return forms.ChoiceField(choices=choices, required=False, widget=widget)

    for data in (None, {"pilihan": "SMP"}, {"pilihan": "SMA"}):
        stock, ours = both(field, data)
        assert parse_html(ours) == parse_html(stock), data
    assert '<optgroup label="Dasar">' in ours and '<option value="SMA" selected>' in ours
