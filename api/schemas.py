"""The API's documented shapes (OpenAPI 3.1 through django-ninja); ``api.shapes`` builds them."""

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from entities.models import Entity
from events.models import Event
from sources.models import Citation, Claim, Datatype, Reliability, Source

EntityKind = Literal[tuple(Entity.Kind.values)]
EventKind = Literal[tuple(Event.Kind.values)]
SourceKind = Literal[tuple(Source.Kind.values)]
Rank = Literal[tuple(Claim.Rank.values)]


class Message(Schema):
    """An error: what is wrong, and the parameter it is about (if one)."""

    message: str
    parameter: str | None = None


class Date(Schema):
    edtf: str = Field(description="The date in EDTF, as stored: 2014-09, 2015~, 2014/2016.")
    earliest: datetime.date | None = Field(description="The earliest day it can mean.")
    latest: datetime.date | None = Field(description="The latest day it can mean.")
    text: str = Field(description="The date as the pages print it: “September 2014”.")


class SubjectRef(Schema):
    type: Literal["entity", "event"]
    slug: str
    label: str
    kind: str


class Subject(SubjectRef):
    description: str
    page_url: str
    api_url: str
    updated_at: datetime.datetime


class EventSubject(Subject):
    date: Date | None = Field(description="The event's best public date.")


class Quantity(Schema):
    amount: int | float
    low: int | float | None
    high: int | float | None


class Monolingual(Schema):
    text: str
    language: str


class Qualifiers(Schema):
    start: Date | None
    end: Date | None
    point_in_time: Date | None
    according_to: SubjectRef | None = Field(description="On whose word the claim is made.")
    statement: Literal[tuple(["", *Claim.Statement.values])] = Field(
        description="claimed (its own word), attributed (by another), established (a verdict)."
    )
    part: str = Field(description="For a count of part of the whole: what it counts.")
    text: str = Field(description="The qualifiers as the pages print them.")


class SourceRef(Schema):
    id: int
    key: str
    title: str


class Reference(Schema):
    source: SourceRef
    locator: str
    quote: str = Field(description="The exact words of the source.")
    translation: str
    stance: Literal[tuple(Citation.Stance.values)]
    verified: bool = Field(description="Whether a reviewer checked the words in the source.")
    verified_on: datetime.date | None


class ClaimOut(Schema):
    id: int
    subject: SubjectRef
    property: str
    datatype: Literal[tuple(Datatype.values)]
    value_kind: Literal[tuple(Claim.ValueKind.values)] = Field(
        description="value; unknown (there is one, not known); none (there is none)."
    )
    value: SubjectRef | Date | Quantity | Monolingual | str | None
    value_text: str = Field(description="The value as the pages print it.")
    rank: Rank
    rank_reason: str = Field(description="Why it is preferred or deprecated.")
    disputed: bool | None = Field(
        description="Shown as disputed on its subject's page: another public claim "
        "conflicts with it, or a source disputes it (null where it is not weighed)."
    )
    dispute_open: bool | None = Field(
        description="In a dispute no reviewer has settled yet by ranking."
    )
    qualifiers: Qualifiers
    references: list[Reference]
    note: str = Field(description="The editors' public note, if any.")
    updated_at: datetime.datetime


class PropertyRef(Schema):
    code: str
    label: str
    datatype: str


class Statement(Schema):
    property: PropertyRef
    values: list[ClaimOut]


class SubjectDetail(Subject):
    date: Date | None = None
    as_of: datetime.date | None = Field(description="The day the record is read as of.")
    statements: list[Statement]
    named_by: list[ClaimOut] = Field(description="Public claims of others naming this one.")


class Grade(Schema):
    grade: Literal[tuple(Reliability.values)]
    label: str


class SourceOut(Schema):
    id: int
    key: str
    kind: SourceKind
    title: str
    author: str
    publisher: str
    published: Date | None
    url: str
    archive_url: str
    accessed_on: datetime.date | None
    language: str
    reliability: Grade
    page_url: str
    updated_at: datetime.datetime


class Page(Schema):
    next: str | None = Field(description="The next page's address; null on the last page.")


class Entities(Page):
    results: list[Subject]


class Events(Page):
    results: list[EventSubject]


class Sources(Page):
    results: list[SourceOut]


class Claims(Page):
    results: list[ClaimOut]
