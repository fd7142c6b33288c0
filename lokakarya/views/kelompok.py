"""Groups of a workshop and their rotations (facilitators only)."""

from __future__ import annotations

import secrets
from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lokakarya import access, selectors
from lokakarya.kelompok import (
    MENIT_PRESENTASI,
    MENIT_TANGGAPAN,
    URUTAN_PERAN,
    jadwal_gallery_walk,
    jadwal_presentasi,
)
from lokakarya.models import JenisKelompok, Kehadiran, Kelompok, Lokakarya, PeranPeserta, Peserta
from lokakarya.services import kelompok as services_kelompok

SEED_MAX = 999_999

# --- forms ------------------------------------------------------------------------


class BuatKelompokForm(forms.Form):
    jenis = forms.ChoiceField(choices=JenisKelompok.choices)
    jumlah = forms.IntegerField(
        label=gettext_lazy("Jumlah kelompok"),
        min_value=services_kelompok.JUMLAH_MIN,
        max_value=services_kelompok.JUMLAH_MAX,
        required=False,
    )
    seed = forms.IntegerField(
        label=gettext_lazy("Seed (opsional)"), min_value=0, max_value=SEED_MAX, required=False
    )
    hanya_hadir = forms.BooleanField(label=gettext_lazy("Hanya peserta yang hadir"), required=False)


class PindahForm(forms.Form):
    peserta = forms.IntegerField()
    kelompok = forms.IntegerField()


# --- reads ------------------------------------------------------------------------


def _groups(lok: Lokakarya) -> list[Kelompok]:
    members = Peserta.objects.select_related("orang").order_by("orang__nama")
    return list(
        lok.kelompok.prefetch_related(Prefetch("anggota", queryset=members)).order_by(
            "jenis", "nomor"
        )
    )


def _last_seed(lok: Lokakarya) -> int | None:
    """The seed of the latest random division, kept in the groups' history."""
    reason = (
        Kelompok.history.filter(
            lokakarya_id=lok.pk,
            jenis=JenisKelompok.CAMPURAN,
            history_change_reason__startswith=services_kelompok.ALASAN_SEED,
        )
        .order_by("-history_date", "-history_id")
        .values_list("history_change_reason", flat=True)
        .first()
    )
    return services_kelompok.seed_from_reason(reason)


def _role_rank(peran: str) -> int:
    return URUTAN_PERAN.index(peran) if peran in URUTAN_PERAN else len(URUTAN_PERAN)


def _section(jenis: str, groups: list[Kelompok], peserta: list[Peserta]) -> dict:
    """One kind of groups as the page shows it: members by role, the role mix,
    the roles a mixed group misses although there are enough of them to go
    round, and who is in no group of this kind yet."""
    in_workshop = Counter(p.peran for p in peserta)
    enough = {r for r, n in in_workshop.items() if n >= len(groups) and r != PeranPeserta.LAINNYA}
    placed: set[int] = set()
    rows = []
    for group in groups:
        members = sorted(group.anggota.all(), key=lambda p: (_role_rank(p.peran), p.orang.nama))
        placed.update(p.pk for p in members)
        counts = Counter(p.peran for p in members)
        rows.append(
            {
                "kelompok": group,
                "anggota": members,
                "komposisi": [
                    (PeranPeserta(r).label, counts[r]) for r in sorted(counts, key=_role_rank)
                ],
                "kurang": [
                    PeranPeserta(r).label for r in sorted(enough - set(counts), key=_role_rank)
                ]
                if jenis == JenisKelompok.CAMPURAN
                else [],
            }
        )
    return {
        "jenis": jenis,
        "label": JenisKelompok(jenis).label,
        "kelompok": rows,
        "belum": [p for p in peserta if p.pk not in placed],
    }


# --- views ------------------------------------------------------------------------


@login_required
def kelompok(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    peserta = list(selectors.peserta_list(lok))
    groups = _groups(lok)
    sections = [
        _section(jenis, [g for g in groups if g.jenis == jenis], peserta)
        for jenis in (JenisKelompok.CAMPURAN, JenisKelompok.PERAN)
    ]
    ada_presensi = any(p.kehadiran for p in peserta)
    context = {
        "lok": lok,
        "sections": sections,
        "peserta_list": peserta,
        "jumlah_peserta": len(peserta),
        "jumlah_hadir": sum(p.kehadiran in (Kehadiran.HADIR, Kehadiran.TERLAMBAT) for p in peserta),
        "ada_presensi": ada_presensi,
        "seed_terakhir": _last_seed(lok),
        "seed_acak": secrets.randbelow(SEED_MAX) + 1,
        "jumlah_campuran": len(sections[0]["kelompok"]) or services_kelompok.JUMLAH_CAMPURAN,
        "jumlah_min": services_kelompok.JUMLAH_MIN,
        "jumlah_max": services_kelompok.JUMLAH_MAX,
    }
    return render(request, "lokakarya/kelompok/index.html", context)


@login_required
@require_POST
def kelompok_create(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    form = BuatKelompokForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Jumlah kelompok harus %(min)s–%(max)s dan seed bilangan bulat 0–%(seed)s.")
            % {
                "min": services_kelompok.JUMLAH_MIN,
                "max": services_kelompok.JUMLAH_MAX,
                "seed": SEED_MAX,
            },
        )
        return redirect("lokakarya:kelompok", pk=lok.pk)
    data = form.cleaned_data
    try:
        hasil = services_kelompok.kelompok_generate(
            actor=request.user,
            lokakarya=lok,
            jenis=data["jenis"],
            jumlah=data["jumlah"],
            seed=data["seed"],
            hanya_hadir=data["hanya_hadir"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if hasil.seed is None:
            messages.success(
                request, _("%(n)s kelompok per peran dibuat.") % {"n": len(hasil.kelompok)}
            )
        else:
            messages.success(
                request,
                # The seed stays in the groups' history (to redo a division);
                # the facilitator only needs "Acak ulang".
                _("%(n)s kelompok campuran dibuat.") % {"n": len(hasil.kelompok)},
            )
    return redirect(reverse("lokakarya:kelompok", args=[lok.pk]) + f"#{data['jenis']}")


@login_required
@require_POST
def kelompok_move(request, pk: int):
    lok = selectors.lokakarya_for_managing(request.user, pk)
    form = PindahForm(request.POST)
    if not form.is_valid():
        raise Http404
    peserta = access.get_visible_or_404(
        lok.peserta.select_related("orang"), pk=form.cleaned_data["peserta"]
    )
    target = access.get_visible_or_404(lok.kelompok.all(), pk=form.cleaned_data["kelompok"])
    services_kelompok.kelompok_move(actor=request.user, peserta=peserta, kelompok=target)
    messages.success(
        request,
        _("%(nama)s dipindah ke %(kelompok)s.") % {"nama": peserta.orang.nama, "kelompok": target},
    )
    return redirect(reverse("lokakarya:kelompok", args=[lok.pk]) + f"#{target.jenis}")


@login_required
def rotasi(request, pk: int):
    """Presentation turns for the mixed groups (Ruang Kolaborasi) and the
    gallery walk (Elaborasi Pemahaman): seed 004 walks the groups by role; when
    there are none yet, the mixed groups."""
    lok = selectors.lokakarya_for_managing(request.user, pk)
    groups = list(lok.kelompok.order_by("jenis", "nomor"))
    campuran = [g for g in groups if g.jenis == JenisKelompok.CAMPURAN]
    per_peran = [g for g in groups if g.jenis == JenisKelompok.PERAN]

    presentasi = None
    if len(campuran) >= 2:
        giliran, total = jadwal_presentasi(len(campuran))
        presentasi = {
            "baris": [
                {
                    "penyaji": campuran[g.penyaji - 1],
                    "penanggap": campuran[g.penanggap - 1],
                    "mulai": g.mulai,
                    "selesai": g.selesai,
                }
                for g in giliran
            ],
            "total": total,
            "menit_presentasi": MENIT_PRESENTASI,
            "menit_tanggapan": MENIT_TANGGAPAN,
        }

    walk_groups = per_peran if len(per_peran) >= 2 else campuran
    gallery = None
    if len(walk_groups) >= 2:
        jadwal = jadwal_gallery_walk(len(walk_groups))
        gallery = {
            "jenis": walk_groups[0].get_jenis_display(),
            "putaran": jadwal.putaran,
            "baris": [
                {
                    "kelompok": group,
                    "kunjungan": [walk_groups[p.kunjungan[i] - 1] for p in jadwal.putaran],
                }
                for i, group in enumerate(walk_groups)
            ],
            "jadwal": jadwal,
        }
    context = {"lok": lok, "presentasi": presentasi, "gallery": gallery}
    return render(request, "lokakarya/kelompok/rotasi.html", context)
