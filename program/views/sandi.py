"""Password reset by email, throttled (django-ratelimit, on the cache):

* per address: after LUPA_SANDI_PER_ALAMAT requests an hour for one email
  address no more mail is sent to it, and the page answers exactly as when
  mail was sent, so nobody learns whether an address has an account or was
  throttled;
* per IP: after LUPA_SANDI_PER_IP requests an hour the form says to try again
  later (429), and nothing is sent.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django_ratelimit.core import is_ratelimited


def _rate(name: str, default: str) -> str:
    return getattr(settings, name, default)


class LupaSandiView(auth_views.PasswordResetView):
    def post(self, request, *args, **kwargs):
        if is_ratelimited(
            request,
            group="lupa-sandi:ip",
            key="ip",
            rate=_rate("LUPA_SANDI_PER_IP", "10/h"),
            method="POST",
            increment=True,
        ):
            form = self.get_form()
            return self.render_to_response(
                self.get_context_data(form=form, terlalu_sering=True), status=429
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        alamat = form.cleaned_data["email"].strip().lower()
        if is_ratelimited(
            self.request,
            group="lupa-sandi:alamat",
            key=lambda _group, _request: alamat,
            rate=_rate("LUPA_SANDI_PER_ALAMAT", "3/h"),
            method="POST",
            increment=True,
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
