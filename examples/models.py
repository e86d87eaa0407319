"""Domain types shared by the example tasks: dataclasses and enums, no tasks."""

import enum
from dataclasses import dataclass, field
from datetime import datetime


class Channel(enum.Enum):
    """Where an order was placed."""

    WEB = "web"
    STORE = "store"
    MARKETPLACE = "marketplace"


class Currency(enum.Enum):
    """Currencies the shop sells in."""

    EUR = "EUR"
    USD = "USD"
    GBP = "GBP"


@dataclass
class Address:
    """A postal address."""

    city: str
    country: str = "DE"


@dataclass
class Customer:
    """A customer with a shipping address and free-form tags."""

    customer_id: str
    email: str
    address: Address
    tags: list[str] = field(default_factory=list)


@dataclass
class OrderLine:
    """One product line of an order."""

    sku: str
    quantity: int
    unit_price: float


@dataclass
class Order:
    """An order as it arrives from the shop front."""

    order_id: str
    customer_id: str
    channel: Channel
    lines: list[OrderLine]
    placed_at: datetime
    coupon: str | None = None


@dataclass
class Endpoint:
    """A network endpoint of a downstream service."""

    host: str
    port: int = 443
    tls: bool = True


@dataclass
class ModelConfig:
    """Hyper-parameters of the ranking model."""

    learning_rate: float = 0.05
    layers: list[int] = field(default_factory=lambda: [64, 32])
    weights: dict[str, float] = field(default_factory=dict)
