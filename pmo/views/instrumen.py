"""The head fills in and updates the school's PMO: the four steps, the actions with
their status history and monthly notes, attachments.

Everyone who may read a school's PMO (head, school operator, facilitator,
supervisor, coordinator) sees the same pages; only editors (head and school
operator: `selectors.can_edit`) get forms, and every POST is 404 for anyone else.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Prefetch, Q, Value, When, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pmo import access, reference, selectors, services
from pmo.forms import (
    LANGKAH_FORMS,
    AkarMasalahForm,
    CatatanBulananForm,
    LampiranForm,
    SolusiForm,
    StatusForm,
    TindakLanjutForm,
    kriteria_texts,
)
from pmo.models import (
    AkarMasalah,
    InstrumenPMO,
    LampiranPMO,
    Solusi,
    StatusTindakLanjut,
    TindakLanjut,
    TopikPMO,
    UmpanBalik,
    periode_label,
)
from program.dates import month_start
from program.uploads import berkas_response
from program.versioning import ConflictError, conflict_response, service_error_response

BERANDA_PER_HALAMAN = 50


def _periode_ini() -> tuple[int, int]:
    """(school year, cycle) of today's PMO."""
    return services.periode_pmo(timezone.localdate())


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _instrumen_for_editing(user, sekolah_pk: int, tahun: int, siklus: int) -> InstrumenPMO:
    """Readers are not told that the write exists: 404 like outsiders."""
    instrumen = selectors.instrumen_for_reading(user, sekolah_pk, tahun, siklus)
    if not selectors.can_edit(user, instrumen.sekolah):
        raise Http404
    return instrumen


def _editable(model, user, **lookup):
    """A row of a PMO the user edits (akar masalah, solusi), else 404."""
    return access.get_visible_or_404(
        model.objects.select_related("instrumen__sekolah").filter(
            instrumen__sekolah__in=access.sekolah_pmo_editable_by(user).values("pk")
        ),
        **lookup,
    )


def _anchor(instrumen: InstrumenPMO, anchor: str):
    return redirect(f"{instrumen.get_absolute_url()}#{anchor}")


# --- beranda ---------------------------------------------------------------------


@dataclass
class BarisSekolah:
    sekolah: object
    instrumen: InstrumenPMO | None
    langkah: int = 0
    per_status: list[tuple[str, str, int]] = field(default_factory=list)
    terakhir: object = None


def _baris(sekolah) -> BarisSekolah:
    """One school on the home page, from prefetched rows only."""
    instrumen = sekolah.pmo_tahun_ini[0] if sekolah.pmo_tahun_ini else None
    if instrumen is None:
        return BarisSekolah(sekolah=sekolah, instrumen=None)
    actions = instrumen.tindak_lanjut.all()
    counts = Counter(a.status for a in actions)
    return BarisSekolah(
        sekolah=sekolah,
        instrumen=instrumen,
        langkah=services.langkah_tercapai(instrumen),
        per_status=[(s.value, s.label, counts[s.value]) for s in StatusTindakLanjut if counts[s]],
        terakhir=max([instrumen.updated_at, *(a.diperbarui_at for a in actions)]),
    )


def _topik_bulan_ini() -> list[TopikPMO]:
    bulan = timezone.localdate().month
    return list(
        TopikPMO.objects.filter(bulan=bulan)
        .filter(Q(periode__bulan_1=bulan) | Q(periode__bulan_2=bulan))
        .select_related("periode")
        .order_by("periode__ke", "urutan")
    )


@login_required
@require_GET
def beranda(request):
    user = request.user
    tahun, siklus = _periode_ini()
    instrumen_qs = InstrumenPMO.objects.filter(tahun_ajaran=tahun, siklus=siklus).prefetch_related(
        "akar_masalah", "solusi", "tindak_lanjut"
    )
    sekolah_qs = (
        access.sekolah_pmo_visible_to(user)
        # The head's (or school operator's) own school first.
        .annotate(
            urut_milik=Case(
                When(pk__in=access.sekolah_pmo_editable_by(user).values("pk"), then=Value(0)),
                default=Value(1),
            )
        )
        .order_by("urut_milik", "nama", "pk")
        .prefetch_related(Prefetch("pmo", queryset=instrumen_qs, to_attr="pmo_tahun_ini"))
    )
    page = Paginator(sekolah_qs, BERANDA_PER_HALAMAN).get_page(request.GET.get("halaman"))
    topik = _topik_bulan_ini()
    return render(
        request,
        "pmo/instrumen/beranda.html",
        {
            "rows": [_baris(s) for s in page],
            "page": page,
            "tahun": tahun,
            "siklus": siklus,
            "topik": topik,
            "ada_perkiraan": any(t.perkiraan for t in topik),
            "periode": topik[0].periode if topik else None,
            "hari_ini": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sekolah(request, sekolah_pk: int):
    """The current cycle's instrument. While it is missing, the page says so
    (with the cycle before, read-only, when there is one) and editors get a
    button that starts it (POST): a GET never does."""
    sekolah = selectors.sekolah_for_reading(request.user, sekolah_pk)
    tahun, siklus = _periode_ini()
    can_edit = selectors.can_edit(request.user, sekolah)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        return redirect(
            services.instrumen_get_or_create(
                actor=request.user, sekolah=sekolah, tahun_ajaran=tahun, siklus=siklus
            )
        )
    instrumen = InstrumenPMO.objects.filter(
        sekolah=sekolah, tahun_ajaran=tahun, siklus=siklus
    ).first()
    if instrumen is not None:
        return redirect(instrumen)
    return render(
        request,
        "pmo/instrumen/belum_diisi.html",
        {
            "sekolah": sekolah,
            "tahun": tahun,
            "siklus": siklus,
            "can_edit": can_edit,
            "sebelumnya": InstrumenPMO.objects.filter(sekolah=sekolah).order_by(
                "-tahun_ajaran", "-siklus"
            ),
            "siklus_lalu": _siklus_lalu(sekolah, tahun, siklus),
        },
    )


def _siklus_lalu(sekolah, tahun: int, siklus: int) -> InstrumenPMO | None:
    """The cycle before, whose results a new cycle starts from (read-only)."""
    tahun_lalu, siklus_lalu = services.siklus_sebelumnya(tahun, siklus)
    instrumen = (
        InstrumenPMO.objects.filter(sekolah=sekolah, tahun_ajaran=tahun_lalu, siklus=siklus_lalu)
        .prefetch_related(
            Prefetch("akar_masalah", queryset=AkarMasalah.objects.filter(prioritas=True)),
            Prefetch("solusi", queryset=Solusi.objects.filter(disepakati=True)),
            "tindak_lanjut",
        )
        .first()
    )
    return instrumen


# --- the instrument page -----------------------------------------------------------


def _steps(instrumen: InstrumenPMO, feedback: list[UmpanBalik], lampiran: list[LampiranPMO]):
    steps = []
    for step in reference.langkah():
        n = step["urutan"]
        steps.append(
            {
                **step,
                "n": n,
                "umpan_balik": [f for f in feedback if f.langkah == n and not f.tindak_lanjut_id],
                "lampiran": [item for item in lampiran if item.langkah == n],
            }
        )
    return steps


def _instrumen_context(request, instrumen: InstrumenPMO, **forms) -> dict:
    prefetch_related_objects(
        [instrumen],
        "akar_masalah",
        Prefetch("solusi", queryset=Solusi.objects.select_related("akar_masalah")),
        Prefetch("tindak_lanjut", queryset=TindakLanjut.objects.select_related("solusi")),
        Prefetch("lampiran", queryset=LampiranPMO.objects.select_related("berkas")),
        Prefetch(
            "umpan_balik",
            queryset=UmpanBalik.objects.select_related("oleh__orang", "tindak_lanjut"),
        ),
    )
    feedback = list(instrumen.umpan_balik.all())
    per_action = defaultdict(list)
    for item in feedback:
        if item.tindak_lanjut_id:
            per_action[item.tindak_lanjut_id].append(item)
    actions = list(instrumen.tindak_lanjut.all())
    for action in actions:
        action.umpan_balik_list = per_action[action.pk]
    texts = kriteria_texts()
    solusi = list(instrumen.solusi.all())
    for item in solusi:
        item.jawaban = [
            (text, getattr(item, name)) for name, text in zip(Solusi.KRITERIA, texts, strict=False)
        ]
    sekolah = instrumen.sekolah
    user = request.user
    langkah = services.langkah_tercapai(instrumen)
    steps = _steps(instrumen, feedback, list(instrumen.lampiran.all()))
    periode_ini = _periode_ini()
    context = {
        "instrumen": instrumen,
        "sekolah": sekolah,
        "steps": steps,
        "langkah_tercapai": langkah,
        "langkah_tercapai_nama": steps[langkah - 1]["nama"] if langkah else "",
        "akar_masalah": list(instrumen.akar_masalah.all()),
        "solusi": solusi,
        "tindak_lanjut": actions,
        "umpan_balik_umum": [f for f in feedback if not f.langkah and not f.tindak_lanjut_id],
        "can_edit": selectors.can_edit(user, sekolah),
        "can_review": selectors.can_review(user, sekolah),
        "bukan_berjalan": (instrumen.tahun_ajaran, instrumen.siklus) != periode_ini,
        "periode_ini_label": periode_label(*periode_ini),
        "siklus_lalu": _siklus_lalu(sekolah, instrumen.tahun_ajaran, instrumen.siklus),
    }
    if context["can_edit"]:
        args = [sekolah.pk, instrumen.tahun_ajaran, instrumen.siklus]
        context.update(
            {
                "langkah1_form": LANGKAH_FORMS[1](
                    instance=instrumen, action=reverse("pmo:langkah-save", args=[*args, 1])
                ),
                "langkah2_form": LANGKAH_FORMS[2](
                    instance=instrumen, action=reverse("pmo:langkah-save", args=[*args, 2])
                ),
                "akar_form": AkarMasalahForm(action=reverse("pmo:akar-masalah-add", args=args)),
                "lampiran_form": LampiranForm(action=reverse("pmo:lampiran-add", args=args)),
            }
        )
        context.update(forms)
    return context


def _render_instrumen(request, instrumen: InstrumenPMO, *, status: int = 200, **forms):
    return render(
        request,
        "pmo/instrumen/instrumen.html",
        _instrumen_context(request, instrumen, **forms),
        status=status,
    )


@login_required
@require_GET
def instrumen(request, sekolah_pk: int, tahun: int, siklus: int):
    instrumen = selectors.instrumen_for_reading(request.user, sekolah_pk, tahun, siklus)
    return _render_instrumen(request, instrumen)


@login_required
@require_POST
def langkah_save(request, sekolah_pk: int, tahun: int, siklus: int, n: int):
    if n not in LANGKAH_FORMS:
        raise Http404
    instrumen = _instrumen_for_editing(request.user, sekolah_pk, tahun, siklus)
    form = LANGKAH_FORMS[n](
        request.POST,
        instance=instrumen,
        action=reverse("pmo:langkah-save", args=[sekolah_pk, tahun, siklus, n]),
    )
    if form.is_valid():
        try:
            services.instrumen_update(
                actor=request.user,
                instrumen=instrumen,
                expected_version=form.cleaned_data["version"],
                data=form.cleaned_data,
            )
        except ConflictError as error:
            return conflict_response(
                request, form=form, error=error, back_url=instrumen.get_absolute_url()
            )
        messages.success(request, _("Langkah %(n)s tersimpan.") % {"n": n})
        return _anchor(instrumen, f"langkah-{n}")
    instrumen.refresh_from_db()
    return _render_instrumen(request, instrumen, status=400, **{f"langkah{n}_form": form})


# --- step 2: root causes --------------------------------------------------------------


@login_required
@require_POST
def akar_masalah_add(request, sekolah_pk: int, tahun: int, siklus: int):
    instrumen = _instrumen_for_editing(request.user, sekolah_pk, tahun, siklus)
    form = AkarMasalahForm(
        request.POST, action=reverse("pmo:akar-masalah-add", args=[sekolah_pk, tahun, siklus])
    )
    if form.is_valid():
        services.akar_masalah_add(actor=request.user, instrumen=instrumen, **form.cleaned_data)
        messages.success(request, _("Akar masalah ditambahkan."))
        return _anchor(instrumen, "langkah-2")
    return _render_instrumen(request, instrumen, status=400, akar_form=form)


@login_required
@require_POST
def akar_masalah_delete(request, pk: int):
    item = _editable(AkarMasalah, request.user, pk=pk)
    services.akar_masalah_delete(actor=request.user, item=item)
    messages.info(
        request, _("Akar masalah dipindahkan ke tempat sampah; dapat dipulihkan dari sana.")
    )
    return _anchor(item.instrumen, "langkah-2")


# --- step 3: solutions ---------------------------------------------------------------


def _solusi_page(request, form: SolusiForm, instrumen: InstrumenPMO, *, status: int = 200):
    return render(
        request,
        "pmo/instrumen/solusi_form.html",
        {
            "form": form,
            "instrumen": instrumen,
            "sekolah": instrumen.sekolah,
            "kriteria": kriteria_texts(),
        },
        status=status,
    )


def _solusi_save(request, solusi: Solusi, action: str):
    instrumen = solusi.instrumen
    form = SolusiForm(request.POST or None, instance=solusi, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.solusi_save(
                actor=request.user,
                solusi=solusi,
                expected_version=form.cleaned_data.get("version") or 0,
                data=form.cleaned_data,
            )
        except (ConflictError, ValidationError) as error:
            # Nothing was saved (e.g. agreed before all four criteria were answered).
            if response := service_error_response(
                request, form=form, error=error, back_url=instrumen.get_absolute_url()
            ):
                return response
        else:
            messages.success(request, _("Solusi tersimpan."))
            return _anchor(instrumen, "langkah-3")
    return _solusi_page(request, form, instrumen, status=400 if request.method == "POST" else 200)


@login_required
def solusi_add(request, sekolah_pk: int, tahun: int, siklus: int):
    instrumen = _instrumen_for_editing(request.user, sekolah_pk, tahun, siklus)
    return _solusi_save(
        request,
        Solusi(instrumen=instrumen),
        action=reverse("pmo:solusi-add", args=[sekolah_pk, tahun, siklus]),
    )


@login_required
def solusi_edit(request, pk: int):
    solusi = _editable(Solusi, request.user, pk=pk)
    return _solusi_save(request, solusi, action=reverse("pmo:solusi-edit", args=[pk]))


# --- step 4: actions ------------------------------------------------------------------


def _tindak_lanjut_save(request, tindak_lanjut: TindakLanjut, action: str, back_url: str):
    instrumen = tindak_lanjut.instrumen
    form = TindakLanjutForm(request.POST or None, instance=tindak_lanjut, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.tindak_lanjut_save(
                actor=request.user,
                tindak_lanjut=tindak_lanjut,
                expected_version=form.cleaned_data.get("version") or 0,
                data=form.cleaned_data,
            )
        except (ConflictError, ValidationError) as error:
            if response := service_error_response(
                request, form=form, error=error, back_url=back_url
            ):
                return response
        else:
            messages.success(request, _("Tindak lanjut tersimpan."))
            return redirect(saved)
    return render(
        request,
        "pmo/instrumen/tindak_lanjut_form.html",
        {
            "form": form,
            "instrumen": instrumen,
            "sekolah": instrumen.sekolah,
            "tindak_lanjut": tindak_lanjut if tindak_lanjut.pk else None,
            "panduan": reference.langkah()[3]["panduan"],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def tindak_lanjut_add(request, sekolah_pk: int, tahun: int, siklus: int):
    instrumen = _instrumen_for_editing(request.user, sekolah_pk, tahun, siklus)
    return _tindak_lanjut_save(
        request,
        TindakLanjut(instrumen=instrumen),
        action=reverse("pmo:tindak-lanjut-add", args=[sekolah_pk, tahun, siklus]),
        back_url=f"{instrumen.get_absolute_url()}#langkah-4",
    )


@login_required
def tindak_lanjut_edit(request, pk: int):
    tindak_lanjut = selectors.tindak_lanjut_for_editing(request.user, pk)
    return _tindak_lanjut_save(
        request,
        tindak_lanjut,
        action=reverse("pmo:tindak-lanjut-edit", args=[pk]),
        back_url=tindak_lanjut.get_absolute_url(),
    )


def _tindak_lanjut_context(request, tindak_lanjut: TindakLanjut, **forms) -> dict:
    instrumen = tindak_lanjut.instrumen
    catatan = list(tindak_lanjut.catatan_bulanan.order_by("-bulan"))
    context = {
        "tindak_lanjut": tindak_lanjut,
        "instrumen": instrumen,
        "sekolah": instrumen.sekolah,
        "perubahan": tindak_lanjut.perubahan_status.select_related("oleh__orang").order_by(
            "at", "pk"
        ),
        "catatan": catatan,
        "umpan_balik": tindak_lanjut.umpan_balik.select_related("oleh__orang"),
        "can_edit": selectors.can_edit(request.user, instrumen.sekolah),
        "can_review": selectors.can_review(request.user, instrumen.sekolah),
    }
    if context["can_edit"]:
        bulan_ini = month_start(timezone.localdate())
        context["status_form"] = StatusForm(
            instance=tindak_lanjut,
            action=reverse("pmo:tindak-lanjut-status", args=[tindak_lanjut.pk]),
        )
        context["catatan_form"] = CatatanBulananForm(
            instance=next((c for c in catatan if c.bulan == bulan_ini), None),
            action=reverse("pmo:catatan-bulanan", args=[tindak_lanjut.pk]),
        )
        context.update(forms)
    return context


@login_required
@require_GET
def tindak_lanjut(request, pk: int):
    tindak_lanjut = selectors.tindak_lanjut_for_reading(request.user, pk)
    return render(
        request, "pmo/instrumen/tindak_lanjut.html", _tindak_lanjut_context(request, tindak_lanjut)
    )


@login_required
@require_POST
def tindak_lanjut_status(request, pk: int):
    tindak_lanjut = selectors.tindak_lanjut_for_editing(request.user, pk)
    form = StatusForm(
        request.POST,
        instance=tindak_lanjut,
        action=reverse("pmo:tindak-lanjut-status", args=[pk]),
    )
    if form.is_valid():
        try:
            if form.cleaned_data["version"] != tindak_lanjut.version:
                # Someone changed the action since this form was loaded: a conflict,
                # even if the chosen transition no longer applies to the new status.
                raise ConflictError(tindak_lanjut)
            services.tindak_lanjut_set_status(
                actor=request.user,
                tindak_lanjut=tindak_lanjut,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                alasan=form.cleaned_data["alasan"],
            )
        except ConflictError as error:
            # The reason lives in the status log, not on the action: show the one
            # given with the saved status beside the user's own.
            latest = error.current.perubahan_status.order_by("-at", "-pk").first()
            error.current.alasan = latest.alasan if latest else ""
            return conflict_response(
                request, form=form, error=error, back_url=tindak_lanjut.get_absolute_url()
            )
        except ValidationError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(
                request,
                _("Status diubah menjadi “%(status)s”.")
                % {"status": tindak_lanjut.get_status_display()},
            )
            return redirect(f"{tindak_lanjut.get_absolute_url()}#riwayat-status")
    tindak_lanjut.refresh_from_db()
    return render(
        request,
        "pmo/instrumen/tindak_lanjut.html",
        _tindak_lanjut_context(request, tindak_lanjut, status_form=form),
        status=400,
    )


@login_required
@require_POST
def catatan_bulanan(request, pk: int):
    tindak_lanjut = selectors.tindak_lanjut_for_editing(request.user, pk)
    form = CatatanBulananForm(request.POST, action=reverse("pmo:catatan-bulanan", args=[pk]))
    if form.is_valid():
        data = form.cleaned_data
        try:
            catatan = services.catatan_bulanan_save(
                actor=request.user,
                tindak_lanjut=tindak_lanjut,
                bulan=data["bulan"],
                expected_version=data.get("version") or 0,
                data={name: data[name] for name in CatatanBulananForm.TEXT_FIELDS},
            )
        except ConflictError as error:
            return conflict_response(
                request, form=form, error=error, back_url=tindak_lanjut.get_absolute_url()
            )
        except ValidationError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(
                request,
                _("Catatan bulan %(bulan)s tersimpan.")
                % {"bulan": catatan.bulan.strftime("%m/%Y")},
            )
            return redirect(f"{tindak_lanjut.get_absolute_url()}#catatan-bulanan")
    return render(
        request,
        "pmo/instrumen/tindak_lanjut.html",
        _tindak_lanjut_context(request, tindak_lanjut, catatan_form=form),
        status=400,
    )


# --- attachments ------------------------------------------------------------------------


@login_required
@require_POST
def lampiran_add(request, sekolah_pk: int, tahun: int, siklus: int):
    instrumen = _instrumen_for_editing(request.user, sekolah_pk, tahun, siklus)
    form = LampiranForm(
        request.POST,
        request.FILES,
        action=reverse("pmo:lampiran-add", args=[sekolah_pk, tahun, siklus]),
    )
    if form.is_valid():
        try:
            item = services.lampiran_add(
                actor=request.user,
                instrumen=instrumen,
                uploaded_file=form.cleaned_data["berkas"],
                langkah=form.cleaned_data["langkah"],
                keterangan=form.cleaned_data["keterangan"],
            )
        except ValidationError as error:
            form.add_error("berkas", error)
        else:
            messages.success(request, _("Lampiran diunggah."))
            return _anchor(instrumen, f"langkah-{item.langkah}")
    return _render_instrumen(request, instrumen, status=400, lampiran_form=form)


@login_required
@require_GET
def lampiran_berkas(request, pk: int):
    item = access.get_visible_or_404(
        LampiranPMO.objects.select_related("berkas").filter(
            instrumen__sekolah__in=access.sekolah_pmo_visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    return berkas_response(item.berkas, download=request.GET.get("unduh") == "1")
