"""The new-person form: a name, a headline and the identifiers that recognise them across sources."""

from __future__ import annotations

from django import forms

from cadre.people import identity

# Identity types offered on the form, in the order a recruiter usually has them.
IDENTITY_FIELDS = {
    identity.EMAIL: "E-mail",
    identity.PHONE: "Phone",
    identity.LINKEDIN: "LinkedIn URL",
    identity.GITHUB: "GitHub login or URL",
    identity.WEBSITE: "Personal website",
    identity.ORCID: "ORCID iD",
}


class PersonForm(forms.Form):
    full_name = forms.CharField(max_length=200, label="Full name")
    headline = forms.CharField(
        max_length=200, required=False, help_text="e.g. Senior ML engineer, LLM inference"
    )
    location = forms.CharField(max_length=120, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind, label in IDENTITY_FIELDS.items():
            self.fields[kind] = forms.CharField(max_length=255, required=False, label=label)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        # Normalise early so a bad e-mail or ORCID is reported on its own field.
        for kind in IDENTITY_FIELDS:
            raw = (data.get(kind) or "").strip()
            if raw:
                try:
                    identity.normalise(kind, raw)
                except ValueError as exc:
                    self.add_error(kind, str(exc))
        return data

    def identities(self) -> list[tuple[str, str]]:
        return [(k, self.cleaned_data[k].strip()) for k in IDENTITY_FIELDS if self.cleaned_data.get(k)]

    def identity_fields(self) -> list[forms.BoundField]:
        return [self[k] for k in IDENTITY_FIELDS]

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[k] for k in ("full_name", "headline", "location")]
