"""Forms of the offer and placement pages. They only carry the typed text (so a rejected form comes back
exactly as typed); every rule is in placements.offer_terms / services, whose errors land on the field they
name (see `apply_error`)."""

from __future__ import annotations

from typing import Any

from django import forms

from cadre.clients.models import Contact
from cadre.core import roles
from cadre.core.exceptions import CadreError
from cadre.core.models import User
from cadre.core.money import CURRENCIES
from cadre.placements import offer_terms
from cadre.placements.burden import US_STATES
from cadre.placements.models import CommissionSplit, Fee, Offer, Placement, Vehicle
from cadre.requisitions.models import EngagementType, Requisition

DATE = forms.DateInput(attrs={"type": "date"})
STATE_CHOICES = [("", "—"), *((code, f"{code} · {name}") for code, name in sorted(US_STATES.items()))]


def _text(label: str, *, help_text: str = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", **attrs}),
    )


def _date(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text, widget=DATE)


def apply_error(form: forms.Form, exc: CadreError, aliases: dict[str, str] | None = None) -> None:
    """Show a service error on the field it names (or above the form)."""
    field = (aliases or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


class OfferForm(forms.Form):
    engagement_type = forms.ChoiceField(label="Engagement", choices=EngagementType.choices)
    vehicle = forms.ChoiceField(
        label="Vehicle",
        choices=Vehicle.choices,
        required=False,
        help_text="Direct hires are the client's W-2 employees",
    )
    currency = forms.ChoiceField(choices=[(c, c) for c in CURRENCIES], initial="USD", required=False)
    pay_rate = _text("Pay rate (per hour)", help_text="Contract and contract-to-hire", placeholder="60.00")
    bill_rate = _text(
        "Bill rate (per hour)", help_text="Below pay is allowed but flagged", placeholder="95.00"
    )
    salary = _text(
        "Annual salary", help_text="Direct hire; or the salary on conversion", placeholder="180000"
    )
    bonus = _text("Target first-year bonus", placeholder="20000")
    hours_per_week = _text("Hours per week", placeholder="40")
    start_date = _date("Start date", "Needed before the offer is extended")
    end_date = _date("End date", "Contracts only; empty for open-ended")
    work_state = forms.ChoiceField(
        label="Work state", choices=STATE_CHOICES, required=False, help_text="Employer burden (SUTA, FUTA)"
    )
    expires_on = _date("Offer expires on")
    terms = forms.CharField(
        label="Other terms",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": offer_terms.MAX_TERMS}),
        help_text="Notice, equipment, remote policy, conversion terms…",
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: (data.get(name) or None) for name in offer_terms.FIELDS if name in self.fields} | {
            "work_state": data.get("work_state") or "",
            "terms": data.get("terms") or "",
        }

    @staticmethod
    def initial_from_offer(offer: Offer) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in offer_terms.FIELDS:
            value = getattr(offer, name)
            if value is None:
                continue
            values[name] = value.isoformat() if hasattr(value, "isoformat") else offer_terms.shown(value)
        values["terms"] = offer.terms
        return values

    @staticmethod
    def initial_from_requisition(requisition: Requisition) -> dict[str, Any]:
        """A first offer starts from the job order: engagement, currency, the top of the pay and bill
        bands when rates are hourly (or the salary band when yearly), its start date."""
        values: dict[str, Any] = {
            "engagement_type": requisition.engagement_type,
            "currency": requisition.currency,
            "hours_per_week": "40",
        }
        if requisition.rate_unit == "year":
            if requisition.pay_max is not None:
                values["salary"] = offer_terms.shown(requisition.pay_max)
        else:
            if requisition.pay_max is not None:
                values["pay_rate"] = offer_terms.shown(requisition.pay_max)
            if requisition.bill_max is not None:
                values["bill_rate"] = offer_terms.shown(requisition.bill_max)
        if requisition.start_date:
            values["start_date"] = requisition.start_date.isoformat()
        return values


FEE_KIND_CHOICES = [
    ("", "Default for the engagement"),
    ("contingency", "Contingency (direct hire)"),
    ("retained", "Retained search (direct hire)"),
    ("conversion", "Conversion (contract-to-hire)"),
    ("none", "No placement fee (contract)"),
]


class AcceptForm(forms.Form):
    """The candidate said yes: who owns the placement, the client's fee terms, overtime rates if not the
    usual 1.5x / 2x."""

    recruiter: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="The requisition's owner"
    )
    timesheet_approver: forms.ModelChoiceField[Contact] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="—", label="Timesheet approver (client contact)"
    )
    fee_kind = forms.ChoiceField(label="Fee", choices=FEE_KIND_CHOICES, required=False)
    fee_percent = _text("Fee percent", placeholder="20")
    guarantee_days = _text("Guarantee (days)", placeholder="90")
    conversion_method = forms.ChoiceField(
        label="Conversion method",
        required=False,
        choices=[
            ("prorate", "Pro-rated by months worked"),
            ("credit", "Less a credit for fees paid"),
            ("free_after_hours", "Free after N hours"),
        ],
    )
    schedule_months = _text("Pro-rating schedule (months)", placeholder="12")
    free_after_hours = _text("Free after (hours)", placeholder="1040")
    credit_rate = _text("Credit (% of fees paid)", placeholder="10")
    engaged_on = _date("Search engaged on (retained)")
    shortlist_on = _date("Shortlist on (retained)")
    pay_overtime = _text("Overtime pay", help_text="Default 1.5x pay")
    bill_overtime = _text("Overtime bill", help_text="Default 1.5x bill")
    pay_double = _text("Double-time pay", help_text="Default 2x pay")
    bill_double = _text("Double-time bill", help_text="Default 2x bill")

    FEE_FIELDS = (
        "fee_kind",
        "fee_percent",
        "guarantee_days",
        "conversion_method",
        "schedule_months",
        "free_after_hours",
        "credit_rate",
        "engaged_on",
        "shortlist_on",
    )
    ALIASES = {
        "fee_kind": "fee_kind",
        "percent": "fee_percent",
        "method": "conversion_method",
        "recruiter_id": "recruiter",
        "timesheet_approver_id": "timesheet_approver",
    }

    def __init__(self, *args: Any, offer: Offer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editors = User.objects.filter(is_active=True, role__in=list(roles.EDITOR_ROLES)).order_by("username")
        self.fields["recruiter"].queryset = editors  # type: ignore[attr-defined]
        client = offer.application.requisition.client
        self.fields["timesheet_approver"].queryset = client.contacts.all()  # type: ignore[attr-defined]
        # Only the fields that apply are offered, so an error always lands on a field the page shows.
        unused: tuple[str, ...] = ()
        if offer.engagement_type == offer_terms.CONTRACT:
            unused += self.FEE_FIELDS
        elif offer.engagement_type == offer_terms.DIRECT_HIRE:
            unused += ("conversion_method", "schedule_months", "free_after_hours", "credit_rate")
        else:
            unused += ("guarantee_days", "engaged_on", "shortlist_on")
        if offer.pay_basis != "hourly":
            unused += ("pay_overtime", "bill_overtime", "pay_double", "bill_double")
        for name in unused:
            del self.fields[name]

    def fee_terms(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        kind = data.get("fee_kind") or ""
        if not kind:
            return None
        if kind == "none":
            return {}
        terms: dict[str, Any] = {"kind": kind, "percent": data.get("fee_percent") or ""}
        if kind in ("contingency", "retained") and data.get("guarantee_days"):
            terms["guarantee_days"] = data["guarantee_days"]
        if kind == "retained":
            terms.update({k: data[k] for k in ("engaged_on", "shortlist_on") if data.get(k)})
        if kind == "conversion":
            terms["method"] = data.get("conversion_method") or "prorate"
            for key in ("schedule_months", "free_after_hours", "credit_rate"):
                if data.get(key):
                    terms[key] = data[key]
        return terms

    def overtime(self) -> dict[str, Any]:
        keys = ("pay_overtime", "bill_overtime", "pay_double", "bill_double")
        return {k: self.cleaned_data.get(k) or None for k in keys}


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}), required=False)


class EndForm(forms.Form):
    end_date = _date("Last day")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}), required=False)


class ConvertForm(forms.Form):
    salary = _text("Annual salary")
    bonus = _text("Target bonus")
    converted_on = _date("First day as the client's employee")
    fees_paid = _text("Fees paid so far", help_text="Credit method only; default: hours invoiced so far")


class RateCardForm(forms.Form):
    effective_from = _date("Effective from")
    pay_regular = _text("Pay")
    bill_regular = _text("Bill")
    pay_overtime = _text("Overtime pay", help_text="Default 1.5x")
    bill_overtime = _text("Overtime bill", help_text="Default 1.5x")
    pay_double = _text("Double-time pay", help_text="Default 2x")
    bill_double = _text("Double-time bill", help_text="Default 2x")
    reason = forms.CharField(required=False, max_length=200)


class FeeForm(forms.Form):
    kind = forms.ChoiceField(choices=Fee.Kind.choices)
    label = forms.CharField(required=False, max_length=120)
    basis = _text("Basis", help_text="What the percent applies to")
    percent = _text("Percent")
    amount = _text("Amount")
    due_on = _date("Due on")
    guarantee_days = _text("Guarantee (days)")
    note = forms.CharField(required=False, max_length=2000)


SPLIT_ROWS = 4


class SplitsForm(forms.Form):
    """Up to four (person, role, share) rows; blank rows are ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editors = User.objects.filter(is_active=True, role__in=list(roles.EDITOR_ROLES)).order_by("username")
        for i in range(SPLIT_ROWS):
            self.fields[f"user_{i}"] = forms.ModelChoiceField(
                queryset=editors, required=False, empty_label="—"
            )
            self.fields[f"role_{i}"] = forms.ChoiceField(choices=CommissionSplit.Role.choices, required=False)
            self.fields[f"share_{i}"] = _text("Share %")

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"user": self[f"user_{i}"], "role": self[f"role_{i}"], "share": self[f"share_{i}"]}
            for i in range(SPLIT_ROWS)
        ]

    def splits(self) -> list[tuple[User, str, str]]:
        data = self.cleaned_data
        out = []
        for i in range(SPLIT_ROWS):
            user, share = data.get(f"user_{i}"), data.get(f"share_{i}")
            if user is None and not share:
                continue
            if user is None:
                self.add_error(f"user_{i}", "choose who gets this share")
                continue
            out.append((user, data.get(f"role_{i}") or "recruiter", share or ""))
        return out

    @staticmethod
    def initial_for(placement: Placement) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for i, split in enumerate(placement.commission_splits.order_by("-share_percent", "id")[:SPLIT_ROWS]):
            values[f"user_{i}"] = split.user_id
            values[f"role_{i}"] = split.role
            values[f"share_{i}"] = offer_terms.shown(split.share_percent)
        return values
