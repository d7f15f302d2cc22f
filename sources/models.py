import builtins
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core import dates
from core.fields import EDTFField
from core.models import ChangeSetHistory, Versioned
from core.queries import within
from entities.models import Entity
from events.models import Event

language_tag = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "Use a language tag such as “en”, “ar”, “fr” or “ar-Latn”.",
)


def import_key_field():
    return models.CharField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Identifies a record loaded from a dataset file, so that reloading updates "
        "it instead of adding another.",
    )


class SourceKind(models.TextChoices):
    NEWS = "news", "News report"
    GOVERNMENT = "government", "Government document"
    COURT = "court", "Court record"
    ACADEMIC = "academic", "Academic work"
    PRIMARY = "primary", "Primary material (the group's own)"
    ENCYCLOPEDIA = "encyclopedia", "Encyclopedia"
    OTHER = "other", "Other"


class Reliability(models.TextChoices):
    # The source-reliability half of the Admiralty (NATO) grading system.
    A = "A", "A – completely reliable"
    B = "B", "B – usually reliable"
    C = "C", "C – fairly reliable"
    D = "D", "D – not usually reliable"
    E = "E", "E – unreliable"
    F = "F", "F – reliability cannot be judged"


class SourceQuerySet(models.QuerySet):
    def public(self):
        """Sources a reader may see: those cited by at least one public claim.

        Asked as "the first such citation" per source, which the database answers by
        stopping at the first one it finds; asked as EXISTS, PostgreSQL first gathers every
        public claim (seconds at a million claims)."""
        public_claim = Claim.objects.public().filter(pk=OuterRef("claim_id"))
        first = Citation.objects.filter(source=OuterRef("pk")).filter(Exists(public_claim))
        return self.alias(first_public_citation=Subquery(first.values("pk")[:1])).filter(
            first_public_citation__isnull=False
        )


class Source(Versioned):
    """A bibliographic record of something claims cite: an article, a report, a court record."""

    Kind = SourceKind

    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    title = models.CharField(max_length=500)
    author = models.CharField(max_length=255, blank=True)
    publisher = models.CharField(max_length=255, blank=True)
    published_on = EDTFField("publication date")
    url = models.URLField("URL", max_length=1000, blank=True)
    archive_url = models.URLField(
        "archive URL",
        max_length=1000,
        blank=True,
        help_text="A permanent archived copy of the URL.",
    )
    accessed_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=20, blank=True, validators=[language_tag])
    reliability = models.CharField(
        max_length=1,
        choices=Reliability.choices,
        default=Reliability.F,
        help_text="How far this source is trusted in general (Admiralty grading).",
    )
    archived_text = models.TextField(
        blank=True,
        help_text="The source's text as it stood when it was read. When present, every "
        "citation's quote must occur in it word for word.",
    )
    import_key = import_key_field()

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], bases=[ChangeSetHistory])

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(reliability__in=Reliability.values), name="source_reliability_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sources:detail", kwargs={"pk": self.pk})

    def quote_occurs(self, quote):
        """Whether a quote stands in the archived text, ignoring differences of white space."""
        return _squash(quote) in _squashed_text(self.archived_text)


def _squash(text):
    return " ".join((text or "").split())


# An import checks thousands of quotes against the same few texts.
_squashed_text = functools.lru_cache(maxsize=8)(_squash)


class Datatype(models.TextChoices):
    ENTITY = "entity", "Entity"
    EVENT = "event", "Event"
    DATE = "date", "Date (EDTF)"
    QUANTITY = "quantity", "Quantity"
    TEXT = "text", "Text"
    MONOLINGUAL = "monolingual", "Text in a language"
    URL = "url", "URL"


class Cardinality(models.TextChoices):
    ONE = "one", "One value ever (founded, date of death)"
    ONE_AT_A_TIME = "one_at_a_time", "One value at a time (leader, allegiance, status)"
    MANY = "many", "Many values (ally, alias)"


class Property(Versioned):
    """What can be claimed about a subject: "leader", "inception", "killed"; the vocabulary
    of claims."""

    class AppliesTo(models.TextChoices):
        ENTITY = "entity", "Entities"
        EVENT = "event", "Events"
        ANY = "any", "Entities and events"

    Datatype = Datatype
    Cardinality = Cardinality

    code = models.SlugField(
        max_length=64, unique=True, help_text="A stable machine name, e.g. “inception”."
    )
    label = models.CharField(max_length=100)
    inverse_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="How the relation reads from the value's side, e.g. “leader of”.",
    )
    description = models.CharField(max_length=500, blank=True)
    datatype = models.CharField(
        max_length=20,
        choices=Datatype.choices,
        help_text="The kind of value its claims take. Cannot change once claims use the property.",
    )
    applies_to = models.CharField(max_length=10, choices=AppliesTo.choices, default=AppliesTo.ANY)
    cardinality = models.CharField(
        max_length=16,
        choices=Cardinality.choices,
        default=Cardinality.MANY,
        help_text="How many values a subject has. Different values of a one-value property "
        "dispute each other; of a one-at-a-time property, when their periods overlap or "
        "are not known.",
    )
    is_name = models.BooleanField(
        default=False,
        help_text="If this is checked, values of this property are names that search finds.",
    )
    display_order = models.PositiveSmallIntegerField(default=100)

    history = HistoricalRecords(excluded_fields=["updated_at"], bases=[ChangeSetHistory])

    class Meta:
        verbose_name_plural = "properties"
        ordering = ["display_order", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(datatype__in=Datatype.values), name="property_datatype_valid"
            ),
            models.CheckConstraint(
                condition=Q(applies_to__in=["entity", "event", "any"]),
                name="property_applies_to_valid",
            ),
            models.CheckConstraint(
                condition=Q(is_name=False) | Q(datatype__in=["text", "monolingual"]),
                name="property_names_are_text",
            ),
            models.CheckConstraint(
                condition=Q(cardinality__in=Cardinality.values), name="property_cardinality_valid"
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if self.pk:
            saved = Property.objects.filter(pk=self.pk).values_list("datatype", flat=True).first()
            if saved and saved != self.datatype and self.claims.exists():
                raise ValidationError(
                    {"datatype": "Claims already use this property; its datatype cannot change."}
                )

    def applies_to_subject(self, subject_type):
        return self.applies_to in (self.AppliesTo.ANY, subject_type)


class ClaimQuerySet(models.QuerySet):
    def public(self):
        """Claims a reader may see: published, cited, on a public subject, and pointing only at
        public entities or events. Composed from the subjects' own rules (``PUBLIC``)."""
        return self.filter(
            Claim.PUBLISHED,
            within(Entity.PUBLIC, "entity") | within(Event.PUBLIC, "event"),
            Q(value_entity__isnull=True) | within(Entity.PUBLIC, "value_entity"),
            Q(value_event__isnull=True) | within(Event.PUBLIC, "value_event"),
            Q(according_to__isnull=True) | within(Entity.PUBLIC, "according_to"),
            Exists(Citation.objects.filter(Citation.SUPPORTING, claim=OuterRef("pk"))),
        )

    def names(self):
        return self.filter(property__is_name=True)

    def event_dates(self):
        """The claims that date their event (see ``Claim.DATES_AN_EVENT``), best first."""
        return self.filter(Claim.DATES_AN_EVENT).by_rank()

    def by_rank(self):
        """Claims in the order pages list them: by property, totals before their parts, then
        ``Claim.RANK_ORDER``, then oldest first. ``Claim.rank_key`` is the same order for
        claims already in memory."""
        return self.annotate(
            rank_position=models.Case(
                *(
                    models.When(rank=rank, then=position)
                    for position, rank in enumerate(Claim.RANK_ORDER)
                ),
                output_field=models.IntegerField(),
            )
        ).order_by("property__display_order", "property__code", "part", "rank_position", "pk")

    def shown(self):
        """Public claims with everything a page prints about them, in rank order."""
        return (
            self.public()
            .by_rank()
            .select_related(
                "property", "entity", "event", "value_entity", "value_event", "according_to"
            )
            .prefetch_related(
                models.Prefetch(
                    "citations",
                    queryset=Citation.objects.select_related("source"),
                    to_attr="shown_citations",
                )
            )
        )


# The value columns, and which one each datatype fills.
VALUE_COLUMNS = {
    Datatype.ENTITY: "value_entity",
    Datatype.EVENT: "value_event",
    Datatype.DATE: "value_date",
    Datatype.QUANTITY: "value_quantity",
    Datatype.TEXT: "value_text",
    Datatype.MONOLINGUAL: "value_text",
    Datatype.URL: "value_url",
}
_EMPTY = {
    "value_entity": Q(value_entity__isnull=True),
    "value_event": Q(value_event__isnull=True),
    "value_date": Q(value_date=""),
    "value_quantity": Q(
        value_quantity__isnull=True, quantity_low__isnull=True, quantity_high__isnull=True
    ),
    "value_text": Q(value_text=""),
    "value_url": Q(value_url=""),
}


def _only(column):
    """Q: every value column is empty except ``column``, which is filled."""
    condition = ~_EMPTY[column] if column != "value_quantity" else Q(value_quantity__isnull=False)
    for other, empty in _EMPTY.items():
        if other != column:
            condition &= empty
    return condition


def _value_matches_datatype():
    filled = Q()
    for datatype, column in VALUE_COLUMNS.items():
        language = (
            ~Q(value_language="") if datatype == Datatype.MONOLINGUAL else Q(value_language="")
        )
        filled |= Q(datatype=datatype) & _only(column) & language
    no_value = Q(value_language="")
    for empty in _EMPTY.values():
        no_value &= empty
    return (Q(value_kind="value") & filled) | (~Q(value_kind="value") & no_value)


class Claim(Versioned):
    """One statement about one subject (an entity or an event): a property, its value,
    when it held, how it ranks against conflicting claims, and where it stands in review."""

    class ValueKind(models.TextChoices):
        VALUE = "value", "A value"
        UNKNOWN = "unknown", "Unknown value (there is one, not known)"
        NONE = "none", "No value (there is none)"

    class Rank(models.TextChoices):
        PREFERRED = "preferred", "Preferred"
        NORMAL = "normal", "Normal"
        DEPRECATED = "deprecated", "Deprecated"

    class Statement(models.TextChoices):
        CLAIMED = "claimed", "Claimed (its own word)"
        ATTRIBUTED = "attributed", "Attributed (by another)"
        ESTABLISHED = "established", "Established (by a verdict)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"

    entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="claims")
    # Copied from the property on every save, so the database can check the value columns.
    datatype = models.CharField(max_length=20, choices=Datatype.choices, editable=False)

    value_kind = models.CharField(max_length=10, choices=ValueKind.choices, default=ValueKind.VALUE)
    value_entity = models.ForeignKey(
        "entities.Entity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referencing_claims",
        verbose_name="entity value",
    )
    value_event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referencing_claims",
        verbose_name="event value",
    )
    value_date = EDTFField("date value")
    value_quantity = models.DecimalField(
        "quantity (best estimate)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    quantity_low = models.DecimalField(
        "low estimate", max_digits=14, decimal_places=2, null=True, blank=True
    )
    quantity_high = models.DecimalField(
        "high estimate", max_digits=14, decimal_places=2, null=True, blank=True
    )
    value_text = models.TextField("text value", blank=True)
    value_language = models.CharField(
        "language",
        max_length=20,
        blank=True,
        validators=[language_tag],
        help_text="For text in a language: its tag, e.g. “ar” for Arabic.",
    )
    value_url = models.URLField("URL value", max_length=1000, blank=True)

    part = models.CharField(
        max_length=100,
        blank=True,
        help_text="For a count of part of the whole: what it counts (“foreign nationals”, "
        "“soldiers”). Empty for the total. Parts and the total are shown together.",
    )
    according_to = models.ForeignKey(
        "entities.Entity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims_on_its_word",
        verbose_name="on whose word",
        help_text="The entity whose statement the claim reports (the group itself, a "
        "government, a court), apart from the outlet that reports it.",
    )
    statement = models.CharField(
        max_length=12,
        choices=Statement.choices,
        blank=True,
        help_text="What kind of statement it is: a claim of its own (e.g. of responsibility), "
        "an attribution by another, or a court's verdict. Left empty with someone named on "
        "whose word, it is a claim if that is the subject or the value, else an attribution.",
    )

    start = EDTFField(help_text=f"When it began to hold. {dates.HELP}")
    end = EDTFField(help_text=f"When it stopped holding. {dates.HELP}")
    point_in_time = EDTFField(help_text=f"When it was true (e.g. a size estimate). {dates.HELP}")

    rank = models.CharField(max_length=12, choices=Rank.choices, default=Rank.NORMAL)
    rank_reason = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why this claim is preferred over, or deprecated against, the others "
        "(“later primary source”, “misreading of the source”). Required unless the rank is normal.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why the claim was rejected. Required for a rejection.",
    )
    note = models.TextField(blank=True, help_text="An editorial note on this claim.")
    note_is_public = models.BooleanField(
        default=False,
        help_text="If this is checked, readers see the note beside the claim; "
        "otherwise it is internal.",
    )

    # Derived on save: earliest and latest days of every date.
    value_date_earliest = models.DateField(null=True, editable=False)
    value_date_latest = models.DateField(null=True, editable=False)
    start_earliest = models.DateField(null=True, editable=False)
    start_latest = models.DateField(null=True, editable=False)
    end_earliest = models.DateField(null=True, editable=False)
    end_latest = models.DateField(null=True, editable=False)
    point_in_time_earliest = models.DateField(null=True, editable=False)
    point_in_time_latest = models.DateField(null=True, editable=False)
    # Derived by sources.disputes: whether the claim is in a dispute no reviewer has settled.
    in_dispute = models.BooleanField(default=False, editable=False, db_index=True)
    import_key = import_key_field()

    # A claim's own part of the publication rule; ClaimQuerySet.public() adds the rest.
    PUBLISHED = Q(status=Status.PUBLISHED)
    # How pages, the timeline and the checks list competing claims: preferred values first.
    RANK_ORDER = (Rank.PREFERRED, Rank.NORMAL, Rank.DEPRECATED)
    # Where a value is held: the column of its datatype (VALUE_COLUMNS), a quantity's
    # estimates, a text's language. A claim of "unknown" or "no value" leaves them all empty.
    VALUE_FIELDS = (
        "value_entity",
        "value_event",
        "value_date",
        "value_quantity",
        "quantity_low",
        "quantity_high",
        "value_text",
        "value_language",
        "value_url",
    )
    # What makes two claims the same claim (several sources for one value are one claim with
    # several citations): subject, property, value and every qualifier.
    IDENTITY_FIELDS = (
        "entity",
        "event",
        "property",
        "value_kind",
        *VALUE_FIELDS,
        "part",
        "according_to",
        "statement",
        "start",
        "end",
        "point_in_time",
    )
    # The claims that say when their event happened; the best public one is its timeline date.
    DATES_AN_EVENT = Q(property__code="date", value_kind=ValueKind.VALUE) & ~Q(rank=Rank.DEPRECATED)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(
        bases=[ChangeSetHistory],
        excluded_fields=[
            "updated_at",
            "value_date_earliest",
            "value_date_latest",
            "start_earliest",
            "start_latest",
            "end_earliest",
            "end_latest",
            "point_in_time_earliest",
            "point_in_time_latest",
            "in_dispute",
        ],
    )

    class Meta:
        ordering = ["property__display_order", "pk"]
        permissions = [
            ("publish_claim", "Can publish or reject claims"),
            ("rank_claim", "Can set the rank of claims"),
        ]
        indexes = [
            models.Index(fields=["entity", "property"]),
            models.Index(fields=["event", "property"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(entity__isnull=False, event__isnull=True)
                | Q(entity__isnull=True, event__isnull=False),
                name="claim_has_exactly_one_subject",
                violation_error_message=(
                    "A claim is about exactly one subject: an entity or an event."
                ),
            ),
            models.CheckConstraint(
                condition=_value_matches_datatype(),
                name="claim_value_fills_its_datatype_column",
                violation_error_message=(
                    "The value must fill exactly the field of the property's datatype."
                ),
            ),
            models.CheckConstraint(
                condition=Q(rank__in=["preferred", "normal", "deprecated"]), name="claim_rank_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review", "published", "rejected"]),
                name="claim_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(value_kind__in=["value", "unknown", "none"]),
                name="claim_value_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(statement__in=["", "claimed", "attributed", "established"]),
                name="claim_statement_valid",
            ),
            models.CheckConstraint(
                condition=Q(statement__in=["", "established"]) | Q(according_to__isnull=False),
                name="claim_statement_names_whose_word",
                violation_error_message="A claim or an attribution names on whose word it is.",
            ),
            models.CheckConstraint(
                condition=Q(part="") | Q(datatype="quantity"),
                name="claim_part_only_of_counts",
                violation_error_message="Only a quantity counts a part.",
            ),
            models.CheckConstraint(
                condition=Q(rank="normal") | ~Q(rank_reason=""),
                name="claim_rank_has_reason",
                violation_error_message=(
                    "A preferred or deprecated claim needs the reason for its rank."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(status_reason=""),
                name="claim_rejection_has_reason",
                violation_error_message="A rejected claim needs the reason for its rejection.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(quantity_low__isnull=True) | Q(quantity_low__lte=models.F("value_quantity"))
                )
                & (
                    Q(quantity_high__isnull=True) | Q(quantity_high__gte=models.F("value_quantity"))
                ),
                name="claim_quantity_bounds_ordered",
                violation_error_message=(
                    "The low estimate must not exceed the best, nor the best the high."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.subject} — {self.property}: {self.value_display()}"

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.subject.get_absolute_url()

    def rank_key(self):
        """The order of ``ClaimQuerySet.by_rank()``, for a claim already in memory."""
        return (
            self.property.display_order,
            self.property.code,
            self.part,
            self.RANK_ORDER.index(self.rank),
            self.pk,
        )

    # The field named "property" hides the builtin inside this class body.
    @builtins.property
    def subject(self):
        return self.entity or self.event

    @builtins.property
    def value(self):
        """The concrete value, from the column its datatype fills."""
        if self.value_kind != self.ValueKind.VALUE:
            return None
        return getattr(self, VALUE_COLUMNS[self.property.datatype])

    def value_display(self):
        if self.value_kind == self.ValueKind.UNKNOWN:
            return "unknown value"
        if self.value_kind == self.ValueKind.NONE:
            return "no value"
        datatype = self.property.datatype
        if datatype == Datatype.DATE:
            return dates.humanize(self.value_date)
        if datatype == Datatype.QUANTITY:
            return format_quantity(self.value_quantity, self.quantity_low, self.quantity_high)
        value = self.value
        return "" if value is None else str(value)

    def clean(self):
        self.check_value()
        same = self.same_claim() if self.status != self.Status.REJECTED else None
        if same is not None:
            raise ValidationError(
                "The same claim already exists: “%(claim)s” (claim %(pk)s). Several sources "
                "for one value are one claim: add this citation to that claim instead.",
                code="same_claim",
                params={"claim": same, "pk": same.pk},
            )

    def derive(self):
        """Fill in what is derived from the claim's own fields, as every save does (and an
        import writing claims in bulk): the datatype, the kind of statement, and the
        earliest and latest days of each date."""
        self.datatype = self.property.datatype
        self.settle_statement()
        for field in ("value_date", "start", "end", "point_in_time"):
            # The field stores a date in words as its EDTF; its days are those of the EDTF.
            value = self._meta.get_field(field).pre_save(self, self._state.adding)
            earliest, latest = dates.bounds(value)
            setattr(self, f"{field}_earliest", earliest)
            setattr(self, f"{field}_latest", latest)

    def check_value(self):
        """Every rule of ``clean()`` that a claim keeps by itself, without looking for the
        same claim among the others; raises ValidationError."""
        errors = {}
        if bool(self.entity_id) == bool(self.event_id):
            raise ValidationError(
                "A claim is about exactly one subject: choose an entity or an event, not both."
            )
        if not self.property_id:
            return
        prop = self.property
        self.datatype = prop.datatype  # as save() will, so that the constraints check the value
        subject_type = "entity" if self.entity_id else "event"
        if not prop.applies_to_subject(subject_type):
            errors["property"] = (
                f"“{prop}” applies to {prop.get_applies_to_display().lower()}, "
                f"not to an {subject_type}."
            )
        if self.value_kind == self.ValueKind.VALUE:
            errors.update(self._value_errors(prop.datatype))
        else:
            for column in set(VALUE_COLUMNS.values()) | {"value_language"}:
                if getattr(self, column) not in (None, ""):
                    errors[column] = (
                        f"A claim of “{self.get_value_kind_display()}” has no value; "
                        "leave this empty."
                    )
            if self.quantity_low is not None or self.quantity_high is not None:
                errors["quantity_low"] = "A claim without a value has no estimates."
        if self.part and prop.datatype != Datatype.QUANTITY:
            errors["part"] = "Only a count has parts; leave this empty."
        self.settle_statement()
        if self.statement == self.Statement.ATTRIBUTED and not self.according_to_id:
            errors["according_to"] = "Name who attributes it (a government, a court, a group)."
        elif self.statement == self.Statement.CLAIMED and not self.according_to_id:
            errors["according_to"] = "Name who claims it (the group itself, or whoever made it)."
        if self.rank != self.Rank.NORMAL and not self.rank_reason.strip():
            errors["rank_reason"] = "Say why this claim is preferred or deprecated."
        if self.status == self.Status.REJECTED and not self.status_reason.strip():
            errors["status_reason"] = "Say why this claim is rejected."
        if errors:
            raise ValidationError(errors)

    def same_claims(self):
        """The claims, this one among them if saved, not rejected, with this one's subject,
        property, value and qualifiers (``IDENTITY_FIELDS``)."""
        attnames = (self._meta.get_field(name).attname for name in self.IDENTITY_FIELDS)
        identity = {attname: getattr(self, attname) for attname in attnames}
        return Claim.objects.filter(**identity).exclude(status=self.Status.REJECTED)

    def same_claim(self):
        """Another claim that is the same claim as this one; None if there is none."""
        return self.same_claims().exclude(pk=self.pk).order_by("pk").first()

    def settle_statement(self):
        """Someone named on whose word, with no kind of statement: their own claim if they
        are the subject or the value, else an attribution."""
        if self.according_to_id and not self.statement:
            own = self.according_to_id in (self.entity_id, self.value_entity_id)
            self.statement = self.Statement.CLAIMED if own else self.Statement.ATTRIBUTED

    def on_whose_word(self):
        """The claim's "on whose word" in words: "claimed by the group itself", "according to
        Tunisian authorities", "established by a verdict"; "" for the source's own account."""
        who = self.according_to
        if self.statement == self.Statement.CLAIMED and who is not None:
            if self.according_to_id in (self.entity_id, self.value_entity_id):
                itself = "the group" if who.kind == "organization" else who.label
                return f"claimed by {itself} itself"
            return f"claimed by {who.label}"
        if self.statement == self.Statement.ATTRIBUTED and who is not None:
            return f"according to {who.label}"
        if self.statement == self.Statement.ESTABLISHED:
            return f"established by a verdict of {who.label}" if who else "established by a verdict"
        return ""

    def _value_errors(self, datatype):
        errors = {}
        column = VALUE_COLUMNS[datatype]
        label = Datatype(datatype).label.lower()
        if getattr(self, column) in (None, ""):
            errors[column] = (
                f"“{self.property}” takes a {label}; fill this field (or choose unknown/no value)."
            )
        for other in set(VALUE_COLUMNS.values()) - {column}:
            if getattr(self, other) not in (None, ""):
                errors[other] = f"“{self.property}” takes a {label}, not this kind of value."
        if datatype == Datatype.MONOLINGUAL and not self.value_language:
            errors["value_language"] = "Text in a language needs its language tag (e.g. “ar”)."
        if datatype != Datatype.MONOLINGUAL and self.value_language:
            errors["value_language"] = "Only text in a language carries a language tag."
        if datatype == Datatype.QUANTITY and self.value_quantity is not None:
            if self.quantity_low is not None and self.quantity_low > self.value_quantity:
                errors["quantity_low"] = "The low estimate is above the best estimate."
            if self.quantity_high is not None and self.quantity_high < self.value_quantity:
                errors["quantity_high"] = "The high estimate is below the best estimate."
        elif self.quantity_low is not None or self.quantity_high is not None:
            errors["quantity_low"] = "Only quantities have estimates."
        return errors

    def qualifiers_display(self):
        """The claim's time qualifiers in plain words: "2014–2016", "from September 2014",
        "(2018)"."""
        if self.point_in_time:
            return dates.humanize(self.point_in_time)
        if self.start and self.end:
            return f"{dates.humanize(self.start)} – {dates.humanize(self.end)}"
        # An open period ("../2016") already reads "until 2016"; only a date needs the word.
        if self.start:
            start = dates.humanize(self.start)
            return start if "/" in self.start else f"from {start}"
        if self.end:
            end = dates.humanize(self.end)
            return end if "/" in self.end else f"until {end}"
        return ""


def format_quantity(best, low=None, high=None):
    def number(value):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value is not None else ""

    text = number(best)
    if low is not None and high is not None:
        text += f" ({number(low)}–{number(high)})"
    elif low is not None:
        text += f" (at least {number(low)})"
    elif high is not None:
        text += f" (at most {number(high)})"
    return text


class CitationQuerySet(models.QuerySet):
    def public(self):
        """Citations a reader may see: every citation of a public claim, supporting or
        disputing it."""
        return self.filter(Exists(Claim.objects.public().filter(pk=OuterRef("claim_id"))))


class Citation(Versioned):
    """One source on one claim, with the passage that supports it, or that disputes it."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports the claim"
        DISPUTES = "disputes", "Disputes the claim"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(
        max_length=255,
        blank=True,
        help_text="Where in the source: page, section, paragraph or timestamp.",
    )
    stance = models.CharField(
        max_length=10,
        choices=Stance.choices,
        default=Stance.SUPPORTS,
        help_text="Whether the passage supports the claim or disputes it (“it has been "
        "erroneously reported that…”). A disputed claim is shown as such until a reviewer "
        "ranks it.",
    )
    quote = models.TextField(
        help_text="The exact words of the source that support (or dispute) the claim."
    )
    translation = models.TextField(
        blank=True, help_text="An English translation of the quote, if it is in another language."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citations_added",
        editable=False,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citations_verified",
        editable=False,
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)

    # What a verification vouches for: these words in this source, read this way.
    # Changing any undoes it.
    VOUCHED_FIELDS = ("source", "locator", "stance", "quote", "translation")
    # A citation that a claim rests on; a claim is published only on one.
    SUPPORTING = Q(stance=Stance.SUPPORTS)

    history = HistoricalRecords(excluded_fields=["updated_at"], bases=[ChangeSetHistory])

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        permissions = [("verify_citation", "Can verify citations against their sources")]
        constraints = [
            models.CheckConstraint(condition=~Q(quote=""), name="citation_has_quote"),
            models.CheckConstraint(
                condition=Q(stance__in=["supports", "disputes"]), name="citation_stance_valid"
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | ~Q(verified_by=models.F("added_by")),
                name="citation_not_verified_by_its_author",
                violation_error_message="Nobody verifies a citation they added themselves.",
            ),
        ]

    def __str__(self):
        return f"{self.source} — {self.locator or 'citation'}"

    def save(self, *args, **kwargs):
        if self.pk and self.is_verified:
            # However the vouched words change (a form, a revert, a load), the change undoes
            # the verification, unless this very save is the one that verifies them.
            before = Citation.objects.filter(pk=self.pk).first()
            if (
                before
                and before.verified_at == self.verified_at
                and self.differs_in_vouched(before)
            ):
                self.verified_by, self.verified_at = None, None
        super().save(*args, **kwargs)

    def differs_in_vouched(self, other):
        """Whether ``other`` (a citation, saved or not) has other vouched words than this one."""
        attnames = (self._meta.get_field(name).attname for name in self.VOUCHED_FIELDS)
        return any(getattr(self, name) != getattr(other, name) for name in attnames)

    def clean(self):
        if (
            self.stance == self.Stance.DISPUTES
            and self.claim_id
            and self.claim.status == Claim.Status.PUBLISHED
            and not self.claim.citations.filter(self.SUPPORTING).exclude(pk=self.pk).exists()
        ):
            raise ValidationError(
                {
                    "stance": "A published claim needs a citation that supports it; this is "
                    "its only one. Add another first, or have the claim unpublished."
                }
            )
        if (
            self.source_id
            and self.quote
            and self.source.archived_text
            and not self.source.quote_occurs(self.quote)
        ):
            raise ValidationError(
                {
                    "quote": "These words do not occur in the archived text of the source; "
                    "copy them exactly."
                }
            )

    @property
    def is_verified(self):
        return self.verified_at is not None
