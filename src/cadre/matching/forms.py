"""Forms of the matching pages: parsing and shape checks only; the rules live in matching.services
(and people.services.set_work_preferences for the preferences form)."""

from __future__ import annotations

from typing import Any

from django import forms

from cadre.core.money import CURRENCIES
from cadre.matching.index import TOP_LIMIT
from cadre.matching.models import TalentPool
from cadre.matching.query import FILTER_LABELS, FILTERS
from cadre.matching.selectors import MAX_TEXT_CHARS
from cadre.people.models import WorkPreferences
from cadre.requisitions.models import EngagementType
from cadre.taxonomy.models import ClearanceLevel, Seniority

DEFAULT_TOP = 50
TOP_CHOICES = (10, 25, 50, 100, 200)


class RelaxField(forms.MultipleChoiceField):
    """Hard filters to relax: repeated `relax=` parameters (the checkboxes) or one comma-separated
    value (the API's form, and links from saved searches)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [(name, FILTER_LABELS[name]) for name in FILTERS])
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        values = super().to_python(value)
        return list(dict.fromkeys(p.strip() for v in values for p in v.split(",") if p.strip()))


def _top_field() -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1, max_value=TOP_LIMIT, required=False, initial=DEFAULT_TOP, label="Show top"
    )


class MatchFilterForm(forms.Form):
    """The GET form of a requisition's Matches page (so the URL can be shared)."""

    relax = RelaxField(widget=forms.CheckboxSelectMultiple, label="Relax hard filters")
    include_in_pipeline = forms.BooleanField(required=False, label="Include people already in the pipeline")
    top = _top_field()

    def values(self) -> tuple[frozenset[str], bool, int]:
        """(relaxed, include_in_pipeline, top) from whatever parsed; bad values fall back to defaults."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return (
            frozenset(data.get("relax") or ()),
            bool(data.get("include_in_pipeline")),
            data.get("top") or DEFAULT_TOP,
        )


class SaveSearchForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name", strip=True)
    relax = RelaxField(widget=forms.MultipleHiddenInput)
    top = _top_field()
    text = forms.CharField(required=False, max_length=MAX_TEXT_CHARS, widget=forms.HiddenInput)


class TextMatchForm(forms.Form):
    text = forms.CharField(
        max_length=MAX_TEXT_CHARS,
        label="Job description",
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": "Paste a job description: the work, the tools, the skills…"}
        ),
    )
    top = _top_field()


class PoolForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name")
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Description"
    )


class PoolMemberForm(forms.Form):
    pool: forms.ModelChoiceField[TalentPool] = forms.ModelChoiceField(
        queryset=TalentPool.objects.all(), empty_label="Choose a pool…"
    )
    person_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=300)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkPreferencesForm(forms.Form):
    """What the person told us; `set_work_preferences` validates the values (ISO codes and so on)."""

    seniority = forms.ChoiceField(choices=[("", "Unknown"), *Seniority.choices], required=False)
    country = forms.CharField(
        required=False, max_length=20, label="Country of residence", help_text="ISO code, e.g. US, GB, DE"
    )
    city = forms.CharField(required=False, max_length=80)
    willing_to_relocate = forms.BooleanField(required=False, label="Willing to relocate")
    remote_preference = forms.ChoiceField(
        choices=WorkPreferences.RemotePreference.choices, initial=WorkPreferences.RemotePreference.ANY
    )
    authorized_countries = forms.CharField(
        required=False,
        max_length=200,
        label="Authorized to work in",
        help_text="ISO codes, comma-separated (no sponsorship needed there); blank = unknown",
    )
    clearance_level = forms.ChoiceField(
        choices=ClearanceLevel.choices, initial=ClearanceLevel.NONE, label="Security clearance"
    )
    clearance_expires = forms.DateField(required=False, widget=_date_input(), label="Clearance expires")
    available_from = forms.DateField(required=False, widget=_date_input(), label="Available from")
    engagement_types = forms.MultipleChoiceField(
        choices=EngagementType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Open to",
        help_text="None ticked = open to all",
    )
    min_rate = forms.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, label="Minimum rate"
    )
    rate_currency = forms.ChoiceField(choices=[(c, c) for c in CURRENCIES], initial="USD", label="Currency")
    rate_unit = forms.ChoiceField(choices=[("hour", "per hour"), ("year", "per year")], label="Rate is")

    def clean_country(self) -> str:
        return str(self.cleaned_data.get("country") or "").strip().upper()

    def clean_authorized_countries(self) -> list[str]:
        raw = str(self.cleaned_data.get("authorized_countries") or "")
        return [c.strip().upper() for c in raw.replace(";", ",").split(",") if c.strip()]

    @classmethod
    def initial_for(cls, prefs: WorkPreferences | None) -> dict[str, Any]:
        if prefs is None:
            return {}
        initial = {name: getattr(prefs, name) for name in cls.base_fields}
        initial["authorized_countries"] = ", ".join(prefs.authorized_countries or [])
        return initial
