from decimal import Decimal

import pytest

from cadre.core.money import Money, to_decimal
from cadre.core.roles import Role, can_edit_records, can_move_to_stage, sees_all_clients


def test_money_is_decimal_and_refuses_mixed_currencies():
    assert to_decimal(0.1) == Decimal("0.1")
    total = Money("60.10") + Money(Decimal("0.20"))
    assert total.amount == Decimal("60.30") and str(total) == "60.30 USD"
    assert (Money("95") * 40).amount == Decimal("3800")
    with pytest.raises(ValueError):
        Money("1", "USD") + Money("1", "EUR")
    with pytest.raises(ValueError):
        Money("abc")
    with pytest.raises(ValueError):
        Money("1", "XXX")


def test_role_capabilities():
    assert sees_all_clients(Role.RECRUITER) and not sees_all_clients(Role.HIRING_MANAGER)
    assert can_edit_records(Role.ADMIN) and not can_edit_records(Role.COMPLIANCE_OFFICER)
    assert can_move_to_stage(Role.RECRUITER, "sourced", "placed")
    assert can_move_to_stage(Role.HIRING_MANAGER, "submitted", "rejected")
    assert not can_move_to_stage(Role.HIRING_MANAGER, "sourced", "screening")
    assert not can_move_to_stage(Role.COMPLIANCE_OFFICER, "offer", "placed")
