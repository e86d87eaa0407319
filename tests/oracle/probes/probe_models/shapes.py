"""Models in the shapes configuration and record types take: nested, defaulted, optional,
in lists and dicts, inherited, with enums and literals."""

from __future__ import annotations

import dataclasses
import datetime
import enum
from typing import Literal

from pydantic import BaseModel, Field

from compiler import task


class Region(enum.Enum):
    EU = "eu"
    US = "us"


class Address(BaseModel):
    street: str
    city: str = "Paris"
    zip_code: str | None = None


class Customer(BaseModel):
    """A customer with addresses."""

    name: str
    age: int = Field(default=30, ge=0, description="years")
    home: Address
    others: list[Address] = Field(default_factory=list)
    by_label: dict[str, Address] = {}
    region: Region = Region.EU
    tier: Literal["free", "pro"] = "free"
    since: datetime.datetime = datetime.datetime(2024, 1, 1)
    score: float = 0.5
    tags: list[str] = []


class VipCustomer(Customer):
    perks: list[str] = ["lounge"]


class Settings(BaseModel):
    retries: int = 3
    timeout: datetime.timedelta = datetime.timedelta(seconds=5)
    extra: dict[str, int] = {}


DEFAULT_SETTINGS = Settings()


@task
def register(customer: Customer, settings: Settings = DEFAULT_SETTINGS) -> VipCustomer:
    return VipCustomer(**customer.model_dump())


@task
def pick(customers: list[Customer], index: dict[str, Customer]) -> Address | None:
    return customers[0].home if customers else None


@task
def upgrade(vip: VipCustomer | None, fallback: Customer | Address) -> tuple[Customer, int]:
    return (vip or fallback), 1


class Odd(BaseModel):
    """Fields flytekit's structure pickles (bytes) or leaves out (a tuple)."""

    blob: bytes = b""
    pair: tuple[int, str] = (1, "a")
    note: str = ""


@dataclasses.dataclass
class Envelope:
    """A dataclass holding a model: flytekit writes no JSON schema for it."""

    customer: Customer
    count: int = 0


@task
def odd(value: Odd, envelope: Envelope) -> Odd:
    return value
