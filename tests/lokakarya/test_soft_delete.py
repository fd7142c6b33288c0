"""A workshop product deleted by the facilitator goes to the page's trash and
can be restored; participants neither see the trash nor restore from it."""

from django.urls import reverse

from lokakarya.models import Produk
from lokakarya.services import nilai as services_nilai


def test_deleted_product_is_restorable_by_the_facilitator_only(client, demo, workshop):
    produk = services_nilai.produk_create(
        actor=demo["fasilitator1"],
        lokakarya=workshop,
        jenis="lainnya",
        judul="Rencana pengembangan komunitas belajar",
        isi="Tiga pertemuan per bulan.",
    )
    url = reverse("lokakarya:produk", args=[workshop.pk])
    client.force_login(demo["fasilitator1"])
    client.post(url, {"hapus": produk.pk})
    page = client.get(url)
    assert [p.pk for p in page.context["produk_list"]] == []
    assert [p.pk for p in page.context["sampah"]] == [produk.pk]
    assert "Pulihkan" in page.content.decode()

    client.force_login(demo["ks1"])  # a participant: reads the page
    page = client.get(url)
    assert "Rencana pengembangan" not in page.content.decode()
    assert client.post(url, {"pulihkan": produk.pk}).status_code == 404

    client.force_login(demo["fasilitator1"])
    client.post(url, {"pulihkan": produk.pk})
    restored = Produk.objects.get(pk=produk.pk)
    assert restored.isi == "Tiga pertemuan per bulan."
    assert "Rencana pengembangan" in client.get(url).content.decode()
    latest = restored.history.order_by("-history_date", "-history_id")[:2]
    assert [h.history_user for h in latest] == [demo["fasilitator1"]] * 2
