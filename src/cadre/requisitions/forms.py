"""The job-order form: validation here, writes through requisitions.services."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from typing import Any

from django import forms

from cadre.clients.models import Client
from cadre.clients.selectors import clients_visible_to
from cadre.core.money import CURRENCIES
from cadre.requisitions.models import EngagementHint, EngagementType, RateUnit, RemotePolicy, Requisition
from cadre.taxonomy.models import ClearanceLevel, Platform, RoleFamily, Seniority, Skill
from cadre.taxonomy.selectors import role_families, skills


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, label=label)


@lru_cache(maxsize=1)
def _time_zone_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((z, z.replace("_", " ")) for z in sorted(zoneinfo.available_timezones()))]


class RequisitionForm(forms.Form):
    client: forms.ModelChoiceField[Client] = forms.ModelChoiceField(
        queryset=None, empty_label="Choose a client…"
    )
    title = forms.CharField(max_length=200)
    role_family: forms.ModelChoiceField[RoleFamily] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="—"
    )
    seniority = forms.ChoiceField(choices=Seniority.choices, initial=Seniority.MID)
    status = forms.ChoiceField(choices=Requisition.Status.choices, initial=Requisition.Status.OPEN)
    engagement_type = forms.ChoiceField(choices=EngagementType.choices)
    duration_months = forms.IntegerField(
        min_value=1, max_value=120, required=False, label="Duration (months)"
    )
    openings = forms.IntegerField(min_value=1, max_value=500, initial=1)
    location = forms.CharField(max_length=120, required=False)
    remote_policy = forms.ChoiceField(
        choices=RemotePolicy.choices, initial=RemotePolicy.HYBRID, label="Remote"
    )
    currency = forms.ChoiceField(choices=[(c, c) for c in CURRENCIES], initial="USD")
    rate_unit = forms.ChoiceField(choices=RateUnit.choices, label="Rates are")
    pay_min = _money("Pay from")
    pay_max = _money("Pay to")
    bill_min = _money("Bill from")
    bill_max = _money("Bill to")
    must_skills: forms.ModelMultipleChoiceField[Skill] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Must-have skills",
        widget=forms.CheckboxSelectMultiple,
    )
    nice_skills: forms.ModelMultipleChoiceField[Skill] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Nice-to-have skills",
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    # Hard requirements: matching filters candidates on these (each can be relaxed per search).
    work_country = forms.CharField(
        max_length=2,
        required=False,
        initial="US",
        label="Work country",
        help_text="ISO code, e.g. US (work authorization); blank leaves it as is, US when new",
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    sponsorship_available = forms.BooleanField(
        required=False,
        label="Visa sponsorship available",
        help_text="If ticked, authorization is not required",
    )
    clearance_required = forms.ChoiceField(
        choices=ClearanceLevel.choices,
        initial=ClearanceLevel.NONE,
        required=False,
        label="Security clearance required",
    )
    time_zone = forms.ChoiceField(
        choices=_time_zone_choices, required=False, label="Team time zone", help_text="IANA zone"
    )
    max_tz_difference_hours = forms.IntegerField(
        min_value=0,
        max_value=12,
        required=False,
        label="Max time-zone difference (hours)",
        help_text="Largest UTC-offset gap accepted for remote people",
    )
    start_date = forms.DateField(
        required=False,
        label="Start date",
        help_text="When the person must be available",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # The job profile: drafted from the text, edited here, saved with the requisition.
    platform: forms.ModelChoiceField[Platform] = forms.ModelChoiceField(
        queryset=Platform.objects.order_by("provider", "name"), required=False, empty_label="—"
    )
    engagement_hint = forms.ChoiceField(
        choices=[("", "—"), *EngagementHint.choices], required=False, label="Engagement (profile)"
    )
    profile_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
        label="Describe the role",
        help_text="Saved as the job profile's source text; “Draft profile” fills the form from it.",
    )

    PROFILE_ONLY = ("platform", "engagement_hint", "profile_text")
    # Shown together under "Hard requirements" (requisitions/_form_body.html).
    HARD_REQUIREMENTS = (
        "work_country",
        "sponsorship_available",
        "clearance_required",
        "time_zone",
        "max_tz_difference_hours",
        "start_date",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients_visible_to(user).order_by("name")  # type: ignore[attr-defined]
        self.fields["role_family"].queryset = role_families()  # type: ignore[attr-defined]
        self.fields["must_skills"].queryset = skills()  # type: ignore[attr-defined]
        self.fields["nice_skills"].queryset = skills()  # type: ignore[attr-defined]

    def clean_work_country(self) -> str:
        return str(self.cleaned_data.get("work_country") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("max_tz_difference_hours") is not None and not data.get("time_zone"):
            self.add_error("time_zone", "Choose the team's time zone for the time-zone difference to apply.")
        for low, high, what in (("pay_min", "pay_max", "pay"), ("bill_min", "bill_max", "bill")):
            lo, hi = data.get(low), data.get(high)
            if lo is not None and hi is not None and lo > hi:
                self.add_error(high, f"The {what} band ends below where it starts.")
        both = set(data.get("must_skills") or []) & set(data.get("nice_skills") or [])
        if both:
            names = ", ".join(sorted(s.name for s in both))
            self.add_error("nice_skills", f"Listed as both must-have and nice-to-have: {names}.")
        return data

    def service_arguments(self) -> tuple[dict[str, Any], list[tuple[Skill, str]]]:
        """Split cleaned data into model fields and the (skill, importance) list the service takes."""
        data = dict(self.cleaned_data)
        wanted = [(s, "must") for s in data.pop("must_skills", [])]
        wanted += [(s, "nice") for s in data.pop("nice_skills", [])]
        data.pop("version", None)
        for name in ("work_country", "clearance_required"):
            if not data.get(name):  # not given: the model default on create, unchanged on edit
                data.pop(name, None)
        for name in self.PROFILE_ONLY:
            data.pop(name, None)
        return data, wanted

    def hard_requirement_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.HARD_REQUIREMENTS]

    def profile_arguments(self) -> dict[str, Any]:
        """The profile fields the recruiter edited (text, platform, engagement hint)."""
        return {name: self.cleaned_data.get(name) for name in self.PROFILE_ONLY}


class RequisitionEditForm(RequisitionForm):
    # The version the editor loaded; the service refuses the save if the row has moved on.
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, requisition: Requisition) -> dict[str, Any]:
        skip = {"must_skills", "nice_skills", *cls.PROFILE_ONLY}
        fields = [name for name in cls.base_fields if name not in skip]
        initial = {name: getattr(requisition, name) for name in fields}
        profile = getattr(requisition, "profile", None) if hasattr(requisition, "profile") else None
        if profile is not None:
            initial.update(
                platform=profile.platform,
                engagement_hint=profile.engagement_hint,
                profile_text=profile.source_text,
            )
        requirements = list(requisition.skill_requirements.all())
        initial["must_skills"] = [r.skill for r in requirements if r.importance == "must"]
        initial["nice_skills"] = [r.skill for r in requirements if r.importance == "nice"]
        return initial
