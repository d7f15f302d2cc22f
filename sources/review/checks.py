"""Consistency checks: what a curator should fix (errors) or look at (warnings).

The checks read the database in a few bulk queries and compute in Python, so a run
costs the same number of queries however many claims there are. The review queue
shows the findings; ``manage.py curation_check`` prints them.
"""

import dataclasses
from collections import defaultdict
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Exists, ExpressionWrapper, OuterRef, Value, When
from django.urls import reverse
from django.utils import timezone

from core import dates
from entities.models import Entity
from events.models import Event
from search import duplicates

from ..models import Citation, Claim, Datatype, Property, Source

ERROR = "error"
WARNING = "warning"

# The dates a claim carries, as (EDTF field, earliest column, latest column).
DATE_FIELDS = [
    ("value_date", "value_date_earliest", "value_date_latest"),
    ("start", "start_earliest", "start_latest"),
    ("end", "end_earliest", "end_latest"),
    ("point_in_time", "point_in_time_earliest", "point_in_time_latest"),
]
# The entity claims that bound its lifespan.
LIFESPAN = ("inception", "dissolution")
# Event claims whose entity took part, so the event falls within that entity's lifespan.
TAKING_PART = ("perpetrator", "participant")
# What makes two claims one (``Claim.IDENTITY_FIELDS``), as columns.
IDENTITY = [Claim._meta.get_field(name).attname for name in Claim.IDENTITY_FIELDS]


@dataclasses.dataclass(frozen=True)
class Finding:
    level: str
    code: str
    message: str
    model: str
    pk: int
    label: str
    url: str
    entity_ids: tuple = ()
    event_ids: tuple = ()
    property_id: int | None = None
    dismiss_url: str = ""  # where a reviewer records that a warning is not a problem

    @property
    def is_error(self):
        return self.level == ERROR

    def concerns(self, *, entity=None, event=None, property=None):
        """Whether the finding is about this subject and this property (None: any)."""
        if entity is not None and entity not in self.entity_ids:
            return False
        if event is not None and event not in self.event_ids:
            return False
        return property is None or property == self.property_id

    def as_dict(self):
        return {
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "object": {"model": self.model, "pk": self.pk, "label": self.label},
            "url": self.url,
        }


@dataclasses.dataclass
class Lifespan:
    begins: object = None  # earliest day of the earliest founding date
    ends: object = None  # latest day of the latest end date
    founded: str = ""  # those dates as written
    ended: str = ""

    def relation(self, earliest, latest):
        """ "before" or "after" when a date certainly falls outside the lifespan, else None."""
        if self.begins and latest and latest < self.begins:
            return "before"
        if self.ends and earliest and earliest > self.ends:
            return "after"
        return None


def run_checks(*, today=None):
    """Every finding, errors first."""
    today = today or timezone.localdate()
    data = _load()
    findings = [
        *_claim_findings(data, today),
        *_event_findings(data),
        *_lifespan_findings(data),
        *_source_findings(today),
        *_duplicate_findings(),
        *_same_claim_findings(data),
    ]
    return sorted(findings, key=lambda f: (f.level != ERROR, f.code, f.label.casefold(), f.pk))


def summarize(findings):
    errors = sum(1 for finding in findings if finding.is_error)
    return {"errors": errors, "warnings": len(findings) - errors}


# Loading


def _load():
    data = SimpleNamespace()
    data.properties = {prop.pk: prop for prop in Property.objects.all()}
    entities = Entity.objects.values("pk", "label", "kind", "merged_into_id")
    data.entities = {row["pk"]: row for row in entities}
    data.events = {row["pk"]: row for row in Event.objects.values("pk", "label")}
    fields = [
        "pk",
        "entity_id",
        "event_id",
        "property_id",
        "datatype",
        "value_kind",
        "value_entity_id",
        "value_text",
        "status",
        "rank",
        *(name for fields in DATE_FIELDS for name in fields),
    ]
    fields += [name for name in IDENTITY if name not in fields]
    data.claims = list(
        Claim.objects.exclude(status=Claim.Status.REJECTED)
        .annotate(
            is_cited=Exists(Citation.objects.filter(Citation.SUPPORTING, claim=OuterRef("pk"))),
            is_verified=Exists(
                Citation.objects.filter(
                    Citation.SUPPORTING, claim=OuterRef("pk"), verified_at__isnull=False
                )
            ),
            dates_an_event=ExpressionWrapper(Claim.DATES_AN_EVENT, output_field=BooleanField()),
        )
        .values(*fields, "is_cited", "is_verified", "dates_an_event")
        .order_by("pk")
    )
    data.lifespans = defaultdict(Lifespan)
    for claim in data.claims:
        code = data.properties[claim["property_id"]].code
        if code not in LIFESPAN or not claim["entity_id"] or claim["rank"] == Claim.Rank.DEPRECATED:
            continue
        life = data.lifespans[claim["entity_id"]]
        if code == "inception" and claim["value_date_earliest"]:
            if life.begins is None or claim["value_date_earliest"] < life.begins:
                life.begins, life.founded = claim["value_date_earliest"], claim["value_date"]
        if code == "dissolution" and claim["value_date_latest"]:
            if life.ends is None or claim["value_date_latest"] > life.ends:
                life.ends, life.ended = claim["value_date_latest"], claim["value_date"]
    return data


def _subject_label(data, claim):
    if claim["entity_id"]:
        return data.entities[claim["entity_id"]]["label"]
    return data.events[claim["event_id"]]["label"]


def _claim_finding(data, claim, level, code, message):
    prop = data.properties[claim["property_id"]]
    label = f"{_subject_label(data, claim)} — {prop.label}"
    return Finding(
        level=level,
        code=code,
        message=f"{label}: {message}",
        model="sources.claim",
        pk=claim["pk"],
        label=label,
        url=reverse("admin:sources_claim_change", args=[claim["pk"]]),
        entity_ids=(claim["entity_id"],) if claim["entity_id"] else (),
        event_ids=(claim["event_id"],) if claim["event_id"] else (),
        property_id=prop.pk,
    )


# Checks


def _claim_dates(claim):
    for field, earliest, latest in DATE_FIELDS:
        if claim[field] and (field != "value_date" or claim["datatype"] == Datatype.DATE):
            yield field, claim[earliest], claim[latest]


def _claim_findings(data, today):
    for claim in data.claims:
        prop = data.properties[claim["property_id"]]
        for field, earliest, latest in _claim_dates(claim):
            name = field.replace("_", " ")
            if earliest and latest and earliest > latest:
                yield _claim_finding(
                    data,
                    claim,
                    ERROR,
                    "period_reversed",
                    f"the period “{claim[field]}” ({name}) ends before it starts.",
                )
            if earliest and earliest > today:
                yield _claim_finding(
                    data,
                    claim,
                    ERROR,
                    "date_in_future",
                    f"{name} “{dates.humanize(claim[field])}” is later than today.",
                )
        start, end = claim["start_earliest"], claim["end_latest"]
        if start and end and end < start:
            yield _claim_finding(
                data,
                claim,
                ERROR,
                "period_reversed",
                f"it ends ({dates.humanize(claim['end'])}) before it starts "
                f"({dates.humanize(claim['start'])}).",
            )
        if (
            claim["datatype"] == Datatype.QUANTITY
            and claim["entity_id"]
            and claim["value_kind"] == Claim.ValueKind.VALUE
            and not (claim["point_in_time"] or claim["start"] or claim["end"])
        ):
            # An event's counts are dated by the event; an entity's size changes over time.
            yield _claim_finding(
                data, claim, WARNING, "quantity_without_time", "a quantity without a point in time."
            )
        if claim["status"] == Claim.Status.PUBLISHED and not claim["is_cited"]:
            yield _claim_finding(
                data,
                claim,
                ERROR,
                "uncited_published",
                "published without a citation that supports it.",
            )
        elif claim["status"] == Claim.Status.PUBLISHED and not claim["is_verified"]:
            yield _claim_finding(
                data,
                claim,
                WARNING,
                "unverified_published",
                "published, but no citation is verified yet.",
            )
        life = data.lifespans.get(claim["entity_id"])
        if life and claim["rank"] != Claim.Rank.DEPRECATED and prop.code not in LIFESPAN:
            for field, earliest, latest in _claim_dates(claim):
                relation = life.relation(earliest, latest)
                if relation:
                    when = f"{field.replace('_', ' ')} “{dates.humanize(claim[field])}”"
                    yield _claim_finding(
                        data,
                        claim,
                        WARNING,
                        "outside_lifespan",
                        f"{when} is {_lifespan_words(relation, life)}.",
                    )
                    break


def _lifespan_words(relation, life, whose="the subject"):
    if relation == "before":
        return f"before {whose} was founded ({dates.humanize(life.founded)})"
    return f"after {whose} ended ({dates.humanize(life.ended)})"


def _event_findings(data):
    """Events dated outside the lifespan of an organization that took part in them, itself
    or through its members: people named as participants in a group founded later."""
    event_dates, taking_part, memberships = defaultdict(list), defaultdict(set), defaultdict(list)
    for claim in data.claims:
        if claim["rank"] == Claim.Rank.DEPRECATED or not (
            claim["value_date"] or claim["value_entity_id"]
        ):
            continue
        code = data.properties[claim["property_id"]].code
        if claim["event_id"] and claim["dates_an_event"]:
            event_dates[claim["event_id"]].append(claim)
        elif claim["event_id"] and code in TAKING_PART:
            taking_part[claim["event_id"]].add((claim["value_entity_id"], code))
        elif claim["entity_id"] and code == "member_of":
            memberships[claim["entity_id"]].append(claim)
    for event_id, date_claims in sorted(event_dates.items()):
        reported = set()
        for claim in date_claims:
            earliest, latest = claim["value_date_earliest"], claim["value_date_latest"]
            involved = defaultdict(list)  # organization -> (role, member or None)
            for entity_id, role in sorted(taking_part[event_id]):
                involved[entity_id].append((role, None))
                for membership in memberships[entity_id]:
                    if _held_at(membership, earliest, latest):
                        involved[membership["value_entity_id"]].append((role, entity_id))
            for entity_id, roles in involved.items():
                life = data.lifespans.get(entity_id)
                relation = life.relation(earliest, latest) if life else None
                if relation and entity_id not in reported:
                    reported.add(entity_id)
                    yield _event_finding(data, event_id, entity_id, roles, claim, life, relation)


def _held_at(claim, earliest, latest):
    """Whether a claim's start–end period may include a date (an open period may)."""
    if claim["end_latest"] and earliest and earliest > claim["end_latest"]:
        return False
    return not (claim["start_earliest"] and latest and latest < claim["start_earliest"])


def _event_finding(data, event_id, entity_id, roles, date_claim, life, relation):
    event, entity = data.events[event_id], data.entities[entity_id]
    role_names = " and ".join(sorted({role for role, _ in roles}))
    members = sorted({member for _, member in roles if member})
    if any(member is None for _, member in roles):
        named = f"“{entity['label']}” as {role_names}"
    else:
        names = ", ".join(f"“{data.entities[member]['label']}”" for member in members)
        named = f"{names}, member(s) of “{entity['label']}”, as {role_names}"
    whose = f"“{entity['label']}”"
    return Finding(
        level=WARNING,
        code="outside_lifespan",
        message=(
            f"{event['label']} ({dates.humanize(date_claim['value_date'])}) names {named}, "
            f"but it is dated {_lifespan_words(relation, life, whose)}."
        ),
        model="events.event",
        pk=event_id,
        label=event["label"],
        url=reverse("admin:events_event_change", args=[event_id]),
        entity_ids=(entity_id, *members),
        event_ids=(event_id,),
        property_id=date_claim["property_id"],
    )


def _lifespan_findings(data):
    for entity_id, life in data.lifespans.items():
        if life.begins and life.ends and life.ends < life.begins:
            entity = data.entities[entity_id]
            yield Finding(
                level=ERROR,
                code="period_reversed",
                message=f"{entity['label']}: it ended ({dates.humanize(life.ended)}) "
                f"before it was founded ({dates.humanize(life.founded)}).",
                model="entities.entity",
                pk=entity_id,
                label=entity["label"],
                url=reverse("admin:entities_entity_change", args=[entity_id]),
                entity_ids=(entity_id,),
            )


def _source_findings(today):
    sources = Source.objects.annotate(
        has_archived_text=Case(When(archived_text="", then=Value(False)), default=Value(True))
    ).values(
        "pk", "title", "url", "archive_url", "published_on", "accessed_on", "has_archived_text"
    )
    for source in sources.order_by("pk"):

        def finding(level, code, message, source=source):
            return Finding(
                level=level,
                code=code,
                message=f"{source['title']}: {message}",
                model="sources.source",
                pk=source["pk"],
                label=source["title"],
                url=reverse("admin:sources_source_change", args=[source["pk"]]),
            )

        if source["url"] and not (source["archive_url"] or source["has_archived_text"]):
            yield finding(
                WARNING,
                "source_not_archived",
                "it has a URL but no archived copy (archive URL or text).",
            )
        published = source["published_on"]
        try:
            earliest, latest = dates.bounds(published)
        except ValidationError:
            yield finding(
                ERROR, "date_unreadable", f"the publication date “{published}” is not valid EDTF."
            )
            earliest = latest = None
        if earliest and latest and earliest > latest:
            yield finding(
                ERROR,
                "period_reversed",
                f"the publication period “{published}” ends before it starts.",
            )
        if earliest and earliest > today:
            yield finding(
                ERROR,
                "date_in_future",
                f"publication date “{dates.humanize(published)}” is later than today.",
            )
        if source["accessed_on"] and source["accessed_on"] > today:
            accessed = dates.humanize(source["accessed_on"].isoformat())
            yield finding(ERROR, "date_in_future", f"accessed on {accessed}, later than today.")


def _duplicate_findings():
    """Entities of one kind with names alike however they are spelt (``search.duplicates``):
    probably one entity twice, unless a reviewer judged them not the same."""
    for pair in duplicates.likely_duplicates():
        a, b = pair.first, pair.second
        names = "; ".join(f"“{first}” and “{second}”" for first, second in pair.names)
        yield Finding(
            level=WARNING,
            code="likely_duplicate",
            message=f"“{a.label}” (#{a.pk}) and “{b.label}” (#{b.pk}) have names alike: "
            f"{names}. Probably one entity twice: merge them, or record that they are not "
            "the same.",
            model="entities.entity",
            pk=a.pk,
            label=a.label,
            url=reverse("admin:entities_entity_changelist") + f"?id__in={a.pk},{b.pk}",
            entity_ids=(a.pk, b.pk),
            dismiss_url=reverse("admin:search_distinctpair_add")
            + f"?first={a.pk}&second={b.pk}&_from_queue=1",
        )


def _same_claim_findings(data):
    """Claims that are one claim twice (same subject, property, value and qualifiers), as a
    merge of two entities can leave them: combine each into the oldest."""
    groups = defaultdict(list)
    for claim in data.claims:
        groups[tuple(claim[name] for name in IDENTITY)].append(claim)
    for group in groups.values():
        first, *others = group
        for claim in others:
            finding = _claim_finding(
                data,
                claim,
                WARNING,
                "same_claim",
                f"the same claim as #{first['pk']}: combine them into one with both citations.",
            )
            pks = f"{first['pk']},{claim['pk']}"
            yield dataclasses.replace(
                finding, url=reverse("admin:sources_claim_changelist") + f"?id__in={pks}"
            )
