"""PI 1–6: the PP's grid, one session page, and the CGP's view of their sessions."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pendampingan import access, pdf, pesan, selectors, services
from pendampingan.forms import (
    BukaKembaliForm,
    DokumentasiForm,
    JadwalForm,
    JurnalForm,
    KonfirmasiForm,
    RTLForm,
    RTLTandaiForm,
)
from pendampingan.forms.jurnal import AutosaveClientForm
from pendampingan.models import RencanaTindakLanjut
from pendampingan.services import artefak as artefak_services
from pendampingan.services.jurnal import jurnal_draft_save_from_client, jurnal_texts
from program.jobs import job_request
from program.uploads import berkas_response
from program.versioning import ConflictError, conflict_response, service_error_response


def _wants_json(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def login_required_json(view):
    """Like login_required, but a background save gets 401 JSON, not a login page,
    so the page can keep the text and ask the user to log in again."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if _wants_json(request):
                return JsonResponse(
                    {"error": "login", "message": _("Sesi login berakhir. Masuk lagi.")},
                    status=401,
                )
            return login_required(view)(request, *args, **kwargs)
        return view(request, *args, **kwargs)

    return wrapper


def _validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- PP -------------------------------------------------------------------------


@login_required
def beranda_pp(request):
    rows = selectors.pp_grid(request.user)
    # A report per PI number any of the PP's cohorts has.
    pi_numbers = range(1, max((len(r.sel) for r in rows), default=0) + 1)
    return render(request, "pendampingan/beranda_pp.html", {"rows": rows, "pi_numbers": pi_numbers})


# The writes that may come first on a PI: {by session: by PI (CGP, PI number)}.
_FIRST_WRITES = {
    "pendampingan:sesi-schedule": "pendampingan:pi-schedule",
    "pendampingan:jurnal-autosave": "pendampingan:pi-jurnal-autosave",
    "pendampingan:jurnal-submit": "pendampingan:pi-jurnal-submit",
}


def _write_url(name: str, sesi) -> str:
    """Where a form of the PI page posts: to the session once it exists, to
    its PI while it does not (the write then plans the session)."""
    if sesi.pk is None:
        return reverse(_FIRST_WRITES[name], args=[sesi.penugasan_id, sesi.urutan])
    return reverse(name, args=[sesi.pk])


def _sesi_context(request, sesi, **forms):
    jurnal = services.jurnal_of(sesi)
    planned = sesi.pk is not None
    # The device keeps unsent journal text under this key; a PI not planned
    # yet has no session id, so its text is kept under the PI's own key, which
    # the page picks up once the session exists.
    kunci_pi = f"u{request.user.pk}:jurnal-pi-{sesi.penugasan_id}-{sesi.urutan}"
    context = {
        "sesi": sesi,
        "planned": planned,
        "penugasan": sesi.penugasan,
        "snapshot": sesi.templat,
        "panduan": selectors.panduan_of(request.user, sesi),
        "jurnal": jurnal,
        "jadwal_form": JadwalForm(
            instance=sesi, action=_write_url("pendampingan:sesi-schedule", sesi)
        ),
        "jurnal_form": JurnalForm(snapshot=sesi.templat, jurnal=jurnal),
        "autosave_url": _write_url("pendampingan:jurnal-autosave", sesi),
        "ajukan_url": _write_url("pendampingan:jurnal-submit", sesi),
        "jurnal_key": f"u{request.user.pk}:jurnal-{sesi.pk}" if planned else kunci_pi,
        "jurnal_key_pi": kunci_pi if planned else "",
        "rtl": selectors.sesi_rtl(sesi) if planned else [],
        "rtl_form": RTLForm(action=reverse("pendampingan:rtl-add", args=[sesi.pk]))
        if planned
        else None,
        "rtl_sebelumnya": services.rtl_carried_into(sesi),
        "artefak": artefak_services.artefak_list(sesi.penugasan),
        "tandai_form": RTLTandaiForm(),
        "dokumentasi": selectors.sesi_dokumentasi(sesi) if planned else [],
        "dokumentasi_form": DokumentasiForm(
            action=reverse("pendampingan:dokumentasi-upload", args=[sesi.pk])
        )
        if planned
        else None,
        "buka_form": BukaKembaliForm(),
        "sesi_url": sesi.get_absolute_url(),
        "wa_undangan": pesan.undangan_sesi_wa(sesi) if sesi.tanggal else "",
    }
    if jurnal.is_submitted:
        context["salin_lms"] = pesan.salin_lms(sesi, jurnal, context["rtl"])
    context.update(forms)
    return context


def _pi(request, penugasan_pk: int, urutan: int):
    """PI `urutan` of a CGP the user mentors: its session, unsaved if not planned."""
    penugasan = selectors.penugasan_for_pp(request.user, penugasan_pk)
    if urutan not in selectors.pi_numbers_of(penugasan):
        raise Http404  # the cohort's version has no PI of that number
    return selectors.pi_for_editing(request.user, penugasan, urutan)


def _planned(request, sesi):
    """The session a write acts on, planned now if it is not yet (in the
    write's transaction, so that a refused write plans nothing)."""
    if sesi.pk is not None:
        return sesi
    planned = services.sesi_get_or_create(
        actor=request.user, penugasan=sesi.penugasan, urutan=sesi.urutan
    )
    return selectors.sesi_for_editing(request.user, planned.pk)


@login_required
def sesi(request, penugasan_pk: int, urutan: int):
    """The PI page. A PI not planned yet is shown from the current template,
    with the forms that plan it (schedule, journal): viewing writes nothing."""
    sesi = _pi(request, penugasan_pk, urutan)
    return render(request, "pendampingan/sesi.html", _sesi_context(request, sesi))


@login_required
@require_POST
def sesi_schedule(request, pk: int):
    return _jadwal(request, selectors.sesi_for_editing(request.user, pk))


@login_required
@require_POST
def pi_schedule(request, penugasan_pk: int, urutan: int):
    """Schedule a PI from its page before its session exists: this plans it."""
    return _jadwal(request, _pi(request, penugasan_pk, urutan))


def _jadwal(request, sesi):
    form = JadwalForm(request.POST, instance=sesi)
    if form.is_valid():
        version = form.cleaned_data["version"]
        try:
            with transaction.atomic():
                target = _planned(request, sesi)
                if version == 0 and not target.tanggal:
                    # Shown before the session existed, and nobody has
                    # scheduled it since (a journal save may have planned it).
                    version = target.version
                services.sesi_schedule(
                    actor=request.user,
                    sesi=target,
                    expected_version=version,
                    data=form.cleaned_data,
                )
        except (ConflictError, ValidationError) as error:
            if response := service_error_response(
                request, form=form, error=error, back_url=sesi.get_absolute_url()
            ):
                return response
        else:
            messages.success(request, _("Jadwal tersimpan. CGP dapat melihatnya."))
            return redirect(target)
    if sesi.pk is None:
        sesi = selectors.pi_for_editing(request.user, sesi.penugasan, sesi.urutan)
    else:
        sesi.refresh_from_db()
    return render(
        request,
        "pendampingan/sesi.html",
        _sesi_context(request, sesi, jadwal_form=form),
        status=400,
    )


def _journal_data(request) -> dict:
    return {
        k: v
        for k, v in request.POST.items()
        if k.startswith("langkah_") or k in services.JURNAL_TEXT_FIELDS
    }


@login_required_json
@require_POST
def jurnal_autosave(request, pk: int):
    """Save the journal draft. Called while typing (fetch) or by the 'Simpan draf' button."""
    return _autosave(request, selectors.sesi_for_editing(request.user, pk))


@login_required_json
@require_POST
def pi_jurnal_autosave(request, penugasan_pk: int, urutan: int):
    """The first journal save of a PI plans its session (later ones find it)."""
    return _autosave(request, _pi(request, penugasan_pk, urutan))


def _autosave(request, sesi):
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    client_id, seq = AutosaveClientForm(request.POST).client()
    try:
        with transaction.atomic():
            sesi = _planned(request, sesi)
            result = jurnal_draft_save_from_client(
                actor=request.user,
                sesi=sesi,
                expected_version=version,
                data=_journal_data(request),
                client_id=client_id,
                seq=seq,
            )
    except ConflictError as error:
        if _wants_json(request):
            return JsonResponse(
                {
                    "error": "conflict",
                    "version": error.current.version,
                    # The server's text, so the page can show both versions.
                    "current": jurnal_texts(error.current),
                    "message": _(
                        "Jurnal ini diubah di tab atau perangkat lain. Teks Anda belum "
                        "disimpan ke server; muat ulang untuk melihat versi terbaru "
                        "(teks Anda tetap tersimpan di perangkat)."
                    ),
                },
                status=409,
            )
        form = JurnalForm(request.POST, snapshot=sesi.templat)
        form.is_valid()
        return conflict_response(
            request,
            form=form,
            error=error,
            back_url=sesi.get_absolute_url(),
            current_values=jurnal_texts(error.current),
        )
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse(
                {"error": "invalid", "message": _validation_message(error)}, status=400
            )
        messages.error(request, _validation_message(error))
        return redirect(sesi)
    jurnal = result.jurnal
    saved = time_format(timezone.localtime(jurnal.updated_at), "H:i")
    if _wants_json(request):
        return JsonResponse(
            {"version": result.version, "saved_at": saved, "applied": result.applied, "seq": seq}
        )
    messages.success(request, _("Draf jurnal tersimpan %(jam)s.") % {"jam": saved})
    return redirect(sesi)


@login_required
@require_POST
def jurnal_submit(request, pk: int):
    """Save what is on the page, then submit (which locks the journal)."""
    return _ajukan(request, selectors.sesi_for_editing(request.user, pk))


@login_required
@require_POST
def pi_jurnal_submit(request, penugasan_pk: int, urutan: int):
    """Submit from the page of a PI not planned yet: the text is saved (which
    plans the session); the submission itself waits for a schedule."""
    return _ajukan(request, _pi(request, penugasan_pk, urutan))


def _ajukan(request, sesi):
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        with transaction.atomic():
            sesi = _planned(request, sesi)
            jurnal = services.jurnal_save_draft(
                actor=request.user, sesi=sesi, expected_version=version, data=_journal_data(request)
            )
        services.jurnal_submit(actor=request.user, sesi=sesi, expected_version=jurnal.version)
    except ConflictError as error:
        form = JurnalForm(request.POST, snapshot=sesi.templat)
        form.is_valid()
        return conflict_response(
            request,
            form=form,
            error=error,
            back_url=sesi.get_absolute_url(),
            current_values=jurnal_texts(error.current),
        )
    except ValidationError as error:
        messages.error(request, _validation_message(error))
        return redirect(sesi)
    messages.success(request, _("Jurnal diajukan dan dikunci. CGP kini dapat membacanya."))
    return redirect(sesi)


@login_required
@require_POST
def jurnal_reopen(request, pk: int):
    sesi = selectors.sesi_for_editing(request.user, pk)
    form = BukaKembaliForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Tuliskan alasan membuka kembali jurnal."))
        services.jurnal_reopen(actor=request.user, sesi=sesi, alasan=form.cleaned_data["alasan"])
    except ValidationError as error:
        messages.error(request, _validation_message(error))
    else:
        messages.info(request, _("Jurnal dibuka kembali. Alasan tercatat di riwayat."))
    return redirect(sesi)


@login_required
@require_POST
def rtl_add(request, pk: int):
    sesi = selectors.sesi_for_editing(request.user, pk)
    form = RTLForm(request.POST, action=reverse("pendampingan:rtl-add", args=[sesi.pk]))
    if form.is_valid():
        services.rtl_add(actor=request.user, sesi=sesi, **form.cleaned_data)
        messages.success(request, _("Rencana tindak lanjut ditambahkan."))
        return redirect(f"{sesi.get_absolute_url()}#rtl")
    return render(
        request, "pendampingan/sesi.html", _sesi_context(request, sesi, rtl_form=form), status=400
    )


def _rtl_for_pp(user, pk: int) -> RencanaTindakLanjut:
    return access.get_visible_or_404(
        RencanaTindakLanjut.objects.select_related("sesi").filter(
            sesi__in=access.sesi_pi_editable_by(user).values("pk")
        ),
        pk=pk,
    )


@login_required
@require_POST
def rtl_delete(request, pk: int):
    item = _rtl_for_pp(request.user, pk)
    try:
        services.rtl_delete(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, _validation_message(error))
    else:
        messages.info(
            request, _("Rencana dipindahkan ke tempat sampah; dapat dipulihkan dari sana.")
        )
    return redirect(f"{item.sesi.get_absolute_url()}#rtl")


@login_required
@require_POST
def rtl_mark(request, pk: int):
    """Mark an RTL item of PI N from the page of PI N+1."""
    item = _rtl_for_pp(request.user, pk)
    form = RTLTandaiForm(request.POST)
    next_url = reverse("pendampingan:sesi", args=[item.sesi.penugasan_id, item.sesi.urutan + 1])
    if form.is_valid():
        services.rtl_mark(actor=request.user, item=item, **form.cleaned_data)
        messages.success(request, _("Status tindak lanjut tersimpan."))
    else:
        messages.error(request, _("Pilih status: terlaksana, sebagian, atau belum terlaksana."))
    return redirect(f"{next_url}#rtl-sebelumnya")


@login_required
@require_POST
def dokumentasi_upload(request, pk: int):
    sesi = selectors.sesi_for_editing(request.user, pk)
    form = DokumentasiForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.dokumentasi_add(
                actor=request.user,
                sesi=sesi,
                uploaded_file=form.cleaned_data["berkas"],
                jenis=form.cleaned_data["jenis"],
                keterangan=form.cleaned_data["keterangan"],
            )
        except ValidationError as error:
            form.add_error("berkas", error)
        else:
            messages.success(request, _("Dokumentasi diunggah."))
            return redirect(f"{sesi.get_absolute_url()}#dokumentasi")
    return render(
        request,
        "pendampingan/sesi.html",
        _sesi_context(request, sesi, dokumentasi_form=form),
        status=400,
    )


@login_required
@require_POST
def dokumentasi_delete(request, pk: int):
    dok = selectors.dokumentasi_visible(request.user, pk)
    sesi = selectors.sesi_for_editing(request.user, dok.sesi_id)
    services.dokumentasi_delete(actor=request.user, dokumentasi=dok)
    messages.info(
        request, _("Dokumentasi dipindahkan ke tempat sampah; dapat dipulihkan dari sana.")
    )
    return redirect(f"{sesi.get_absolute_url()}#dokumentasi")


@login_required
@require_GET
def dokumentasi_berkas(request, pk: int):
    dok = selectors.dokumentasi_visible(request.user, pk)
    return berkas_response(dok.berkas, download=request.GET.get("unduh") == "1")


@login_required
@require_GET
def dokumentasi_thumb(request, pk: int):
    dok = selectors.dokumentasi_visible(request.user, pk)
    if dok.thumbnail is None:
        raise Http404
    return berkas_response(dok.thumbnail)


@login_required
@require_POST
def sesi_pdf(request, pk: int):
    """Start (or reuse, if nothing changed) the journal PDF job, then show its progress."""
    sesi = selectors.sesi_for_reading(request.user, pk)
    job = job_request(
        kind=pdf.JURNAL_KIND,
        actor=request.user,
        params={"sesi": sesi.pk},
        cache_key=pdf.jurnal_fingerprint(sesi),
    )
    return redirect(job)


@login_required
@require_POST
def laporan_pdf(request, urutan: int):
    if urutan not in selectors.PI_NUMBERS:
        raise Http404
    sesi_qs = selectors.sesi_pi_for_report(request.user, urutan)
    if not sesi_qs.exists():
        raise Http404
    job = job_request(
        kind=pdf.LAPORAN_KIND,
        actor=request.user,
        params={"urutan": urutan},
        cache_key=pdf.laporan_fingerprint(sesi_qs),
    )
    return redirect(job)


# --- reading (CGP, coordinator) ---------------------------------------------------


@login_required
def cgp_home(request):
    rows = selectors.cgp_sessions(request.user)
    return render(
        request, "pendampingan/cgp_home.html", {"rows": rows, "hari_ini": timezone.localdate()}
    )


@login_required
def sesi_read(request, pk: int):
    sesi = selectors.sesi_for_reading(request.user, pk)
    orang = access.orang_of(request.user)
    return render(
        request,
        "pendampingan/sesi_read.html",
        {
            "sesi": sesi,
            "penugasan": sesi.penugasan,
            "snapshot": sesi.templat,
            "panduan": selectors.panduan_of(request.user, sesi),
            "jurnal": services.jurnal_of(sesi),
            "rtl": selectors.sesi_rtl(sesi),
            "rtl_sebelumnya": services.rtl_carried_into(sesi),
            "artefak": artefak_services.artefak_list(sesi.penugasan),
            "dokumentasi": selectors.sesi_dokumentasi(sesi),
            "is_cgp": orang is not None and sesi.penugasan.cgp_id == orang.pk,
            "is_pp": orang is not None and sesi.penugasan.pp_id == orang.pk,
            "konfirmasi_form": KonfirmasiForm(initial={"komentar": sesi.komentar_cgp}),
        },
    )


@login_required
@require_POST
def sesi_confirm(request, pk: int):
    orang = access.orang_of(request.user)
    sesi = access.get_visible_or_404(
        access.sesi_pi_visible_to(request.user).filter(penugasan__cgp=orang), pk=pk
    )
    form = KonfirmasiForm(request.POST)
    if form.is_valid():
        try:
            services.sesi_confirm_by_cgp(
                actor=request.user, sesi=sesi, komentar=form.cleaned_data["komentar"]
            )
        except ValidationError as error:
            messages.error(request, _validation_message(error))
        else:
            messages.success(request, _("Terima kasih, konfirmasi Anda tercatat."))
    return redirect("pendampingan:cgp-home")
