"""The facilitator's review of a school's PMO and the monthly Forum Pokja.

Readers of the school (head, facilitator, supervisor, the region's
coordinator, operators) read; only reviewers (the school's facilitators and
operators) give feedback and record the forum.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from pmo import access, perubahan, reference, selectors, services
from pmo.forms.review import ForumPokjaEditForm, ForumPokjaForm, UmpanBalikForm
from pmo.models import ForumPokja, InstrumenPMO, TindakLanjut
from program.dates import month_start
from program.models import PenugasanSekolah, PenugasanWilayah, Peran, PeranWilayah, Sekolah
from program.versioning import ConflictError, add_service_errors, service_error_response

# --- reads ------------------------------------------------------------------------
# Candidates for pmo/selectors.py; kept here while that file is edited by others.


def _instrumen_for_review(user, sekolah_pk: int, tahun: int, siklus: int) -> InstrumenPMO:
    return access.get_visible_or_404(
        InstrumenPMO.objects.select_related("sekolah").filter(
            sekolah__in=access.sekolah_pmo_reviewed_by(user).values("pk")
        ),
        sekolah_id=sekolah_pk,
        tahun_ajaran=tahun,
        siklus=siklus,
    )


def _sekolah_for_review(user, pk: int) -> Sekolah:
    return access.get_visible_or_404(
        access.sekolah_pmo_reviewed_by(user).select_related("kabupaten"), pk=pk
    )


def _forum_for_reading(user, pk: int) -> ForumPokja:
    return access.get_visible_or_404(
        ForumPokja.objects.select_related("sekolah", "dicatat_oleh__orang").filter(
            sekolah__in=access.sekolah_pmo_visible_to(user).values("pk")
        ),
        pk=pk,
    )


def _forum_for_review(user, pk: int) -> ForumPokja:
    return access.get_visible_or_404(
        ForumPokja.objects.select_related("sekolah", "sekolah__kabupaten").filter(
            sekolah__in=access.sekolah_pmo_reviewed_by(user).values("pk")
        ),
        pk=pk,
    )


def _koordinator(sekolah: Sekolah) -> list[str]:
    """Names of the region's coordinators (whose presence counts 1 JP): the
    kabupaten/kota's own, or where it has none, those of its Balai (its
    operators are not coordinators)."""
    for scope in (
        Q(kabupaten_id=sekolah.kabupaten_id),
        Q(balai__provinsi__kabupaten=sekolah.kabupaten_id),
    ):
        names = list(
            PenugasanWilayah.objects.filter(scope, peran=PeranWilayah.KOORDINATOR)
            .order_by("orang__nama")
            .values_list("orang__nama", flat=True)
            .distinct()
        )
        if names:
            return names
    return []


def _peserta_awal(sekolah: Sekolah) -> str:
    """The school's head(s), then its facilitator(s): one name per line."""
    urutan = {Peran.KEPALA_SEKOLAH: 0, Peran.FASILITATOR: 1}
    people = PenugasanSekolah.objects.filter(sekolah=sekolah, peran__in=list(urutan)).values_list(
        "peran", "orang__nama"
    )
    names = [n for _peran, n in sorted(people, key=lambda p: (urutan[p[0]], p[1]))]
    return "\n".join(dict.fromkeys(names))


# --- "sejak bulan lalu" and feedback ---------------------------------------------


@login_required
def sejak_bulan_lalu(request, sekolah_pk: int, tahun: int, siklus: int):
    instrumen = selectors.instrumen_for_reading(request.user, sekolah_pk, tahun, siklus)
    bulan = perubahan.parse_bulan(
        request.GET.get("bulan"), default=perubahan.bulan_default(tahun, siklus)
    )
    data = perubahan.sejak_bulan_lalu(instrumen, bulan)
    bulan_ini = month_start(timezone.localdate())
    pilihan_bulan = [b for b in perubahan.bulan_siklus(tahun, siklus) if b <= bulan_ini]
    sebelum = month_start(data.bulan, months=-1)
    sesudah = month_start(data.bulan, months=1)
    return render(
        request,
        "pmo/review/sejak_bulan_lalu.html",
        {
            "d": data,
            "instrumen": instrumen,
            "sekolah": instrumen.sekolah,
            "langkah": {item["urutan"]: item["nama"] for item in reference.langkah()},
            "pilihan_bulan": pilihan_bulan,
            "sebelum": sebelum if pilihan_bulan and sebelum >= pilihan_bulan[0] else None,
            "sesudah": sesudah if pilihan_bulan and sesudah <= pilihan_bulan[-1] else None,
            "bulan_berjalan": data.bulan == bulan_ini,
            "can_review": selectors.can_review(request.user, instrumen.sekolah),
            "here": request.get_full_path(),
        },
    )


@login_required
def umpan_balik(request, sekolah_pk: int, tahun: int, siklus: int):
    """The feedback form (reachable as a page), and where the small inline
    forms of the review pages post to. The head reads it on the PMO page."""
    instrumen = _instrumen_for_review(request.user, sekolah_pk, tahun, siklus)
    if request.method == "POST":
        form = UmpanBalikForm(request.POST, instrumen=instrumen)
    else:
        form = UmpanBalikForm(
            instrumen=instrumen,
            initial={k: request.GET.get(k) for k in ("langkah", "tindak_lanjut", "next")},
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.umpan_balik_add(
                actor=request.user,
                instrumen=instrumen,
                isi=form.cleaned_data["isi"],
                langkah=form.cleaned_data["langkah"],
                tindak_lanjut=form.cleaned_data["tindak_lanjut"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Umpan balik tersimpan. Kepala sekolah melihatnya di halaman PMO.")
            )
            return redirect(_back_url(request, form.cleaned_data["next"], instrumen))
    return render(
        request,
        "pmo/review/umpan_balik.html",
        {
            "form": form,
            "instrumen": instrumen,
            "sekolah": instrumen.sekolah,
            "terakhir": instrumen.umpan_balik.select_related("oleh__orang", "tindak_lanjut")[:10],
        },
    )


def _back_url(request, wanted: str, instrumen: InstrumenPMO) -> str:
    """Back where the feedback was written, if that is a page of this site."""
    # Only a path ("/pmo/…"): redirect() would take any other text for a view
    # name and fail with NoReverseMatch (a 500) on a tampered "next".
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return instrumen.get_absolute_url() + "#umpan-balik"


# --- forum pokja ------------------------------------------------------------------


@login_required
def forum_list(request, sekolah_pk: int):
    sekolah = selectors.sekolah_for_reading(request.user, sekolah_pk)
    forums = list(
        ForumPokja.objects.filter(sekolah=sekolah)
        .select_related("dicatat_oleh__orang")
        .order_by("-bulan", "-tanggal")
    )
    periods = set(
        InstrumenPMO.objects.filter(sekolah=sekolah).values_list("tahun_ajaran", "siklus")
    )
    for forum in forums:
        periode = services.periode_pmo(forum.bulan)
        forum.tahun_pmo, forum.siklus_pmo = periode if periode in periods else (None, None)
        forum.pencatat = perubahan.nama(forum.dicatat_oleh)
    return render(
        request,
        "pmo/review/forum_list.html",
        {
            "sekolah": sekolah,
            "forums": forums,
            "total_jp": sum(f.jp for f in forums),
            "jp_koordinator": sum(1 for f in forums if f.koordinator_hadir),
            "can_review": selectors.can_review(request.user, sekolah),
            "bulan_ini_tercatat": any(f.bulan == month_start(timezone.localdate()) for f in forums),
        },
    )


def _keadaan_sekarang(sekolah: Sekolah) -> list[TindakLanjut]:
    """What forum_pokja_save will keep with the record (the same selection)."""
    return list(TindakLanjut.objects.filter(instrumen__sekolah=sekolah).order_by("pk"))


@login_required
def forum_create(request, sekolah_pk: int):
    sekolah = _sekolah_for_review(request.user, sekolah_pk)
    today = timezone.localdate()
    form = ForumPokjaForm(
        request.POST or None,
        instance=ForumPokja(sekolah=sekolah),
        koordinator=_koordinator(sekolah),
        initial={"tanggal": today, "peserta": _peserta_awal(sekolah)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.forum_pokja_save(
                actor=request.user,
                forum=ForumPokja(sekolah=sekolah, tanggal=form.cleaned_data["tanggal"]),
                expected_version=0,
                data=form.service_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Catatan forum pokja tersimpan."))
            return redirect("pmo:forum-detail", pk=forum.pk)
    tanggal = getattr(form, "cleaned_data", {}).get("tanggal")
    bulan = month_start(tanggal or today)
    return render(
        request,
        "pmo/review/forum_form.html",
        {
            "form": form,
            "sekolah": sekolah,
            "keadaan": [
                {
                    "aktivitas": a.aktivitas,
                    "label": perubahan.status_label(a.status),
                    "badge": perubahan.status_badge(a.status),
                }
                for a in _keadaan_sekarang(sekolah)
            ],
            "sudah_ada": ForumPokja.objects.filter(sekolah=sekolah, bulan=bulan).first(),
        },
    )


@login_required
def forum_detail(request, pk: int):
    forum = _forum_for_reading(request.user, pk)
    tahun, siklus = services.periode_pmo(forum.bulan)
    return render(
        request,
        "pmo/review/forum_detail.html",
        {
            "forum": forum,
            "sekolah": forum.sekolah,
            "peserta": [line.strip() for line in forum.peserta.splitlines() if line.strip()],
            "kesepakatan": [
                line.strip() for line in forum.kesepakatan.splitlines() if line.strip()
            ],
            "keadaan": perubahan.keadaan_dibandingkan(forum.keadaan_pmo),
            "pencatat": perubahan.nama(forum.dicatat_oleh),
            "instrumen": InstrumenPMO.objects.filter(
                sekolah=forum.sekolah, tahun_ajaran=tahun, siklus=siklus
            ).first(),
            "can_edit": selectors.can_review(request.user, forum.sekolah),
        },
    )


@login_required
def forum_edit(request, pk: int):
    forum = _forum_for_review(request.user, pk)
    form = ForumPokjaEditForm(
        request.POST or None, instance=forum, koordinator=_koordinator(forum.sekolah)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.forum_pokja_save(
                actor=request.user,
                forum=forum,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
            )
        except (ConflictError, ValidationError) as error:
            if response := service_error_response(
                request, form=form, error=error, back_url=reverse("pmo:forum-edit", args=[forum.pk])
            ):
                return response
        else:
            messages.success(request, _("Perubahan catatan forum tersimpan."))
            return redirect("pmo:forum-detail", pk=forum.pk)
    return render(
        request,
        "pmo/review/forum_form.html",
        {"form": form, "sekolah": forum.sekolah, "forum": forum},
    )
