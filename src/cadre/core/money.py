"""Money as Decimal with a currency. Pure module: no Django imports."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CURRENCIES = ("USD", "EUR", "GBP", "CAD", "INR", "AUD", "CHF", "SGD", "JPY")
CENT = Decimal("0.01")
# ISO 4217 minor units that are not 2 (every other supported currency has cents).
ZERO_DECIMAL_CURRENCIES = frozenset({"JPY"})


def minor_unit(currency: str = "USD") -> Decimal:
    """The smallest amount the currency is invoiced in: 0.01, or 1 for a zero-decimal currency (JPY)."""
    return Decimal(1) if currency.upper() in ZERO_DECIMAL_CURRENCIES else CENT


def to_cents(amount: Decimal | int | str, currency: str = "USD") -> Decimal:
    """Round a money amount half-up to the currency's minor unit (cents; whole yen for JPY).

    Use it at presentation and storage boundaries only; compute at full precision before."""
    return to_decimal(amount).quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """Parse a money amount; floats go through str() so 0.1 stays 0.1."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not a money amount: {value!r}") from exc


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = "USD"

    def __post_init__(self) -> None:
        if self.currency not in CURRENCIES:
            raise ValueError(f"unsupported currency {self.currency!r}")
        object.__setattr__(self, "amount", to_decimal(self.amount))

    def quantized(self) -> Money:
        return Money(to_cents(self.amount, self.currency), self.currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        return Money(self.amount * to_decimal(factor), self.currency)

    def __str__(self) -> str:
        return f"{self.quantized().amount:,} {self.currency}"
