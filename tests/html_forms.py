"""Read the POST forms of a rendered page the way a browser would submit them.

Used by the fuzz and conflict tests: they start from what a user actually gets
(field names, the hidden version, the options of a select) instead of a copy
of each form class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class HtmlField:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""  # what the browser would send untouched ("" when nothing)
    options: list[str] = field(default_factory=list)  # select/radio/checkbox values
    multiple: bool = False
    checked: list[str] = field(default_factory=list)


@dataclass
class HtmlForm:
    action: str  # path, resolved against the page
    fields: dict[str, HtmlField] = field(default_factory=dict)
    enctype: str = ""

    def data(self) -> dict[str, str | list[str]]:
        """What submitting the form untouched sends (files left out)."""
        out: dict[str, str | list[str]] = {}
        for f in self.fields.values():
            if f.kind == "file":
                continue
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    out[f.name] = f.checked if f.kind == "checkbox" else f.checked[0]
            elif f.kind == "select" and f.multiple:
                out[f.name] = f.checked
            elif f.kind == "select":
                out[f.name] = f.checked[0] if f.checked else (f.options[0] if f.options else "")
            else:
                out[f.name] = f.value
        return out


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: HtmlField | None = None
        self._option: dict | None = None
        self._textarea: HtmlField | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urlsplit(urljoin(self.page, a.get("action") or self.page)).path
                self._form = HtmlForm(action=action, enctype=a.get("enctype", ""))
                self.forms.append(self._form)
            else:
                self._form = None
            return
        form = self._form
        if form is None or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            f = form.fields.setdefault(a["name"], HtmlField(a["name"], kind))
            if kind in ("checkbox", "radio"):
                f.options.append(a.get("value", "on"))
                if "checked" in a:
                    f.checked.append(a.get("value", "on"))
            else:
                f.value = a.get("value", "")
        elif tag == "select":
            self._select = form.fields.setdefault(
                a["name"], HtmlField(a["name"], "select", multiple="multiple" in a)
            )
        elif tag == "option" and self._select is not None:
            self._option = a
            self._option_text = ""
        elif tag == "textarea":
            self._textarea = form.fields.setdefault(a["name"], HtmlField(a["name"], "textarea"))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.value.lstrip("\n")
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select":
            if self._option is not None:
                self._close_option()
            self._select = None

    def _close_option(self):
        value = self._option.get("value", self._option_text.strip())
        self._select.options.append(value)
        if "selected" in self._option:
            self._select.checked.append(value)
        self._option = None


def post_forms(html: str, page: str) -> list[HtmlForm]:
    parser = _Parser(page)
    parser.feed(html)
    return parser.forms


def form_for(html: str, page: str, action: str) -> HtmlForm:
    """The page's POST form that submits to `action`."""
    forms = [f for f in post_forms(html, page) if f.action == action]
    assert forms, f"no form posting to {action} on {page}"
    return forms[0]
