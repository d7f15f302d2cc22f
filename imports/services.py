"""Bringing evidence in: a claims file in the exchange format, with its sources and their
archived texts, previewed and then written in one transaction as one import batch.

Subjects and values are found by slug or by any of their names (``search.matcher``): an
exact slug wins; one thing whose whole name matches is taken and shown with the name that
matched; several, or only a partial match, wait for the curator's choice. A subject that
matches nothing is created, unpublished, from its ``subject_kind``; a value naming a subject
the same file creates resolves to it.

A row whose claim already exists (same subject, property, value and qualifiers:
``Claim.IDENTITY_FIELDS``) adds its citation to that claim without taking the claim over;
otherwise it makes a new claim, which arrives as a draft or in review (published only when a
reviewer asks). Re-importing the same files changes nothing and writes no history. Claims a
reviewer has changed since, and what only a reviewer may change, are left as they are and
listed.

The preview is the import itself, run inside a transaction that is rolled back: what it
reports is what applying would do, checked by the same models and rules.
"""

import datetime
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from core import dates
from core.history import record_created, save_with_reason
from core.models import ChangeSet
from core.names import normalize
from entities.models import Entity
from events.models import Event
from search.index import index_names
from search.matcher import Tier, find
from sources import disputes, roles, timeline
from sources.models import Citation, Claim, Datatype, Property, Reliability, Source

from . import exchange, ownership
from .references import SourcesFileError, read_sources

# Entries of each list a report keeps; its counts cover every one.
LISTED = 200
# Rows checked together, and claims or citations inserted by one statement.
CHUNK = 1_000
BATCH = 500
# A claim's foreign keys, which an import sets to what it has found.
RESOLVED = ["entity", "event", "property", "value_entity", "value_event", "according_to"]
# The fields a sources file gives, as the model names them.
SOURCE_FIELDS = (
    "kind",
    "title",
    "author",
    "publisher",
    "published_on",
    "url",
    "archive_url",
    "accessed_on",
    "language",
    "reliability",
)
# Model fields as the exchange format's columns name them, so errors point at a column.
COLUMN_OF = {
    "entity": "subject",
    "event": "subject",
    "property": "property",
    "value_entity": "value",
    "value_event": "value",
    "value_date": "value",
    "value_quantity": "value",
    "value_text": "value",
    "value_url": "value",
    "value_language": "language",
    "quantity_low": "low",
    "quantity_high": "high",
    "source": "source",
}
CREATE = "create"


class ImportFailed(Exception):
    """An import that was not applied; ``report["errors"]`` says why, and nothing was
    written."""

    def __init__(self, report):
        self.report = report
        super().__init__("\n".join(report["errors"]))


class _Rollback(Exception):
    pass


def preview(batch, *, progress=None):
    """What applying ``batch`` would do, as a report; nothing is written."""
    return _Import(batch, progress).run(apply=False)


def apply(batch, *, progress=None):
    """Write what ``batch`` brings in, all or nothing; returns the report. Raises
    ImportFailed, having written nothing, on any error or a name still awaiting a choice."""
    return _Import(batch, progress).run(apply=True)


class _Import:
    def __init__(self, batch, progress):
        self.batch = batch
        self.user = batch.user
        self.progress = progress or (lambda done, total: None)
        self.errors = []
        self.counts = Counter()
        self.lists = {
            "matched": [],
            "created": [],
            "to_confirm": [],
            "added": [],
            "disputes": [],
            "left_alone": [],
            "needs_reviewer": [],
        }
        self.change_set = None
        self.subjects = {}  # (type, name) -> the subject, or None: broken or waiting
        self.created = {}  # (type, normalized name) -> subject created by this file
        self.sources = {}  # key or title -> Source
        self.claims = {}  # identity -> Claim written or found by this import
        self.made = set()  # pks of the claims this import created
        self.touched = set()  # and of those it added citations to
        self.groups = set()  # (entity, event, property) of every claim written or cited
        self.cited = set()  # (claim, source, locator, quote) cited by this import
        self.supporting = {}  # claims given a supporting citation by this import
        self.by_slug = {}  # (type, slug) -> subject, loaded a chunk at a time
        self.left = {}  # identity -> why the claim it names is left alone
        self.stored = _Stored()
        self.properties = {}
        for prop in Property.objects.all():
            self.properties[prop.code] = prop
            self.properties.setdefault(prop.label.casefold(), prop)

    # The run

    def run(self, apply):
        self.applying = apply
        try:
            rows = exchange.read_claims(self.batch.claims_name, bytes(self.batch.claims_data))
        except exchange.FileError as error:
            return self.finish(error.errors, apply)
        records = []
        if self.batch.sources_name:
            try:
                records = read_sources(self.batch.sources_name, bytes(self.batch.sources_data))
            except SourcesFileError as error:
                return self.finish(error.errors, apply)
        self.counts["rows"] = len(rows)
        self.check_powers()
        try:
            with transaction.atomic():
                for record in records:
                    self.put_source(record)
                self.put_subjects(rows)
                for start in range(0, len(rows), CHUNK):
                    self.put_rows(rows[start : start + CHUNK])
                    self.progress(min(start + CHUNK, len(rows)), len(rows))
                self.settle()
                self.find_disputes()
                if self.errors or not apply or self.lists["to_confirm"]:
                    raise _Rollback
                report = self.finish([], apply)
                self.batch.report = report
                self.batch.state = self.batch.State.APPLIED
                self.batch.change_set = self.change_set
                self.batch.rows_total = len(rows)
                self.batch.save()
                return report
        except _Rollback:
            pass
        return self.finish(self.errors, apply)

    def finish(self, errors, apply):
        """The report of the run; raises ImportFailed for an import that was not applied."""
        pending = self.lists["to_confirm"]
        if apply and pending and not errors:
            errors = [
                f"{item['where']}: “{item['name']}” {item['why']}; choose one of "
                f"{_candidates(item)}, write its slug in the file, or ask to create it"
                for item in pending
            ]
        report = {
            "counts": dict(self.counts),
            **{name: items[:LISTED] for name, items in self.lists.items()},
            "errors": list(errors),
            "applied": apply and not errors,
        }
        if apply and errors:
            raise ImportFailed(report)
        return report

    def check_powers(self):
        publishing = self.batch.arrives_as == Claim.Status.PUBLISHED
        if publishing and (self.user is None or not roles.can_publish(self.user)):
            # Published claims say in their history which reviewer published them.
            self.errors.append("Only a reviewer, named, may publish claims as they are imported.")

    def may(self, power):
        # No user: the command line, run by whoever runs the server.
        return self.user is None or power(self.user)

    def problem(self, row, column, message):
        self.errors.append(f"{row.where(column)}: {message}")

    def write(self, obj):
        """Save ``obj`` in the import's change set, made with the first write (None: only
        make it)."""
        if self.change_set is None:
            self.change_set = ChangeSet.objects.create(
                kind=ChangeSet.Kind.IMPORT,
                description=f"Imported {self.batch.files}",
                reason=self.batch.reason,
                user=self.user,
            )
        if obj is None:
            return None
        return save_with_reason(
            obj, user=self.user, reason=self.batch.reason, change_set=self.change_set
        )

    # Sources

    def put_source(self, record):
        text = self.batch.texts.get(record.key) if record.key else None
        values = {
            "kind": record.kind,
            "title": record.title,
            "author": record.author,
            "publisher": record.publisher,
            "url": record.url,
            "archive_url": record.archive_url,
            "language": record.language,
            "reliability": record.reliability or Reliability.F,
        }
        problems = []
        try:
            values["published_on"] = dates.to_edtf(record.published) if record.published else ""
        except ValidationError:
            problems.append(f"published: “{record.published}” is not a date this reader knows")
        try:
            values["accessed_on"] = (
                datetime.date.fromisoformat(record.accessed) if record.accessed else None
            )
        except ValueError:
            problems.append(f"accessed: expected a day such as 2025-01-31, not “{record.accessed}”")
        if problems:
            self.errors.extend(f"{record.where}: {problem}" for problem in problems)
            return
        stored = (
            Source.objects.filter(import_key=record.key).first()
            if record.key
            else Source.objects.filter(title__iexact=record.title).order_by("pk").first()
        )
        if stored is None and exchange.unkeyed_id(record.key):
            # Exported from here: a source entered by hand, named by its id (and its title).
            stored = Source.objects.filter(
                pk=exchange.unkeyed_id(record.key),
                title__iexact=record.title,
                import_key__isnull=True,
            ).first()
        source = stored or Source(import_key=record.key or None)
        if text is not None and (source.pk is None or not source.archived_text):
            values["archived_text"] = text
        elif text is not None and text != source.archived_text:
            self.listed("left_alone", f"{record.where}: the source's archived text differs; kept")
        if source.pk and any(getattr(source, name) != value for name, value in values.items()):
            if not ownership.owns(source, SOURCE_FIELDS):
                self.listed("left_alone", f"{record.where}: “{source}” was changed since; kept")
                self.remember_source(record, source)
                self.counts["sources unchanged"] += 1
                return
        changed = source.pk is None or any(
            getattr(source, name) != value for name, value in values.items()
        )
        for name, value in values.items():
            setattr(source, name, value)
        try:
            source.full_clean()
        except ValidationError as error:
            for field, message in field_messages(error):
                self.errors.append(f"{record.where}, field {field or 'record'}: {message}")
            return
        if changed:
            self.counts["sources created" if source.pk is None else "sources updated"] += 1
            self.write(source)
        else:
            self.counts["sources unchanged"] += 1
        self.remember_source(record, source)

    def remember_source(self, record, source):
        if record.key:
            self.sources[record.key] = source
        self.sources.setdefault(record.title.casefold(), source)

    def find_source(self, row):
        given = row["source"]
        source = self.sources.get(given) or self.sources.get(given.casefold())
        if source is None:
            stored = list(Source.objects.filter(title__iexact=given)[:2])
            if len(stored) == 1:
                source = self.sources[given.casefold()] = stored[0]
            elif stored:
                self.problem(row, "source", f"two sources are titled “{given}”; use its key")
                return None
        if source is None:
            self.problem(
                row, "source", f"“{given}” is no key in the sources file nor a source's title"
            )
        return source

    # Subjects and values that name them

    def subject(self, row, name, type_, kind="", column="subject", creates=True):
        """The entity or event ``name`` means; None if it is broken or waits for a choice."""
        model = Entity if type_ == "entity" else Event
        if (type_, name) not in self.subjects:
            self.subjects[(type_, name)] = self.resolve(row, name, model, kind, column, creates)
        return self.subjects[(type_, name)]

    def resolve(self, row, name, model, kind, column, creates):
        """The subject ``name`` means, found or created; None (noted as a problem, or listed
        to confirm) if there is none yet."""
        type_ = model._meta.model_name
        by_slug = self.by_slug.get((type_, name))
        if by_slug is None and (type_, name) not in self.by_slug:
            by_slug = model.objects.filter(slug=name).first()
        if by_slug is not None:
            by_slug = _survivor(by_slug)
            self.note_match(name, by_slug, name, "slug")
            return by_slug
        made = self.created.get((type_, normalize(name)))
        if made is not None:
            return made
        described = self.batch.subjects.get(f"{type_}:{name}")
        if described is not None:
            fields = {field: described[field] for field in ("label", "kind", "description")}
            return self.create(row, model, column, slug=name, **fields)
        choice = self.batch.choices.get(f"{type_}:{name}")
        if choice and choice != CREATE:
            chosen = model.objects.filter(slug=choice).first()
            if chosen is None:
                self.problem(row, column, f"the chosen {type_} “{choice}” does not exist")
                return None
            self.note_match(name, chosen, name, "chosen")
            return chosen
        found = [match for match in find(name, public=False, types=(type_,))]
        whole = _distinct(m for m in found if m.spare == 0 and m.tier <= Tier.TOLERANT)
        if kind:
            whole = [m for m in whole if m.kind == kind] or whole
        exact = [m for m in whole if m.tier == Tier.EXACT]
        if len(exact) == 1:
            # The very name wins over names that match it only with words left out.
            whole = exact
        if len(whole) == 1 and (not kind or whole[0].kind == kind) and choice != CREATE:
            match = whole[0]
            obj = _survivor(model.objects.get(pk=match.pk))
            self.note_match(name, obj, match.name, match.tier.name.lower())
            return obj
        candidates = whole or _distinct(found)
        wants_create = creates and (
            choice == CREATE or (self.batch.create_unmatched and bool(candidates))
        )
        if candidates and not wants_create:
            why = "matches several" if len(whole) > 1 else "matches only partly"
            self.listed(
                "to_confirm",
                {
                    "where": row.where(column),
                    "name": name,
                    "type": type_,
                    "kind": kind,
                    "why": f"{why} {model._meta.verbose_name_plural}",
                    "can_create": bool(kind and creates),
                    "candidates": [
                        {
                            "slug": _slug_of(model, m.pk),
                            "label": m.label,
                            "kind": m.kind,
                            "matched_name": m.name,
                        }
                        for m in candidates[:8]
                    ],
                },
            )
            return None
        if not creates:
            self.problem(row, column, f"no {type_} is named “{name}”")
            return None
        if not kind:
            self.problem(
                row,
                column,
                f"no {type_} is named “{name}”; give its subject_kind to create it",
            )
            return None
        if kind not in model.Kind.values:
            self.problem(
                row,
                "subject_kind",
                f"“{kind}” is not a kind of {type_}; use one of {', '.join(model.Kind.values)}",
            )
            return None
        return self.create(
            row, model, column, slug=_new_slug(model, name, kind), label=name, kind=kind
        )

    def create(self, row, model, column, *, slug, label, kind, description=""):
        """A new subject, unpublished; published with the claims if it is described by the
        files and they arrive published."""
        type_ = model._meta.model_name
        described = f"{type_}:{slug}" in self.batch.subjects
        published = described and self.batch.arrives_as == Claim.Status.PUBLISHED
        obj = model(slug=slug, label=label, kind=kind, description=description, published=published)
        try:
            obj.full_clean()
        except ValidationError as error:
            for field, message in field_messages(error):
                self.problem(row, column, f"{field or type_}: {message}")
            return None
        self.write(obj)
        self.created[(type_, normalize(slug if described else label))] = obj
        self.counts["subjects created"] += 1
        self.listed("created", {"name": label, "type": type_, "kind": kind, "slug": obj.slug})
        return obj

    def note_match(self, name, obj, matched_name, how):
        self.counts["subjects matched"] += 1
        self.listed(
            "matched",
            {
                "name": name,
                "type": obj._meta.model_name,
                "label": obj.label,
                "slug": obj.slug,
                "matched_name": matched_name,
                "how": how,
            },
        )

    # Rows

    def put_rows(self, rows):
        """Check a chunk of rows, then write the claims and citations they add in bulk."""
        self.prefetch_slugs(rows)
        items = [item for item in map(self.read_row, rows) if item is not None]
        stored = self.stored
        stored.load(items, lambda identity: identity in self.claims or identity in self.left)
        new_claims, new_citations = [], []
        for row, values, citation, identity in items:
            if identity in self.left:
                self.leave(row, self.left[identity])
                continue
            claim = self.claims.get(identity)
            if claim is None:
                claim = self.claim(row, values, identity, stored)
                if claim is None:
                    continue
                self.claims[identity] = claim
                if getattr(claim, "_new", False):
                    new_claims.append(claim)
            elif claim._import_fields != _claim_fields(values, row) and getattr(
                claim, "_new", False
            ):
                self.problem(
                    row, "note", "rank, rank_reason or note differ from an earlier row of the claim"
                )
                continue
            if self.cite(row, claim, citation, stored):
                new_citations.append(citation)
        if self.errors:
            return  # nothing will be kept: the checks go on, the writes stop
        self.bulk_write(Claim, new_claims)
        for citation in new_citations:
            citation.claim = citation.claim  # set when the claim had no key yet: take it now
        self.bulk_write(Citation, new_citations)
        for claim in new_claims:
            self.made.add(claim.pk)
            self.touched.add(claim.pk)
            self.groups.add((claim.entity_id, claim.event_id, claim.property_id))
        for citation in new_citations:
            claim = citation.claim
            self.groups.add((claim.entity_id, claim.event_id, claim.property_id))
            if claim.pk not in self.made:
                self.touched.add(claim.pk)
                self.listed(
                    "added", {"claim": str(claim), "pk": claim.pk, "source": str(citation.source)}
                )

    def put_subjects(self, rows):
        """Find or create every subject the file names first, so that a value naming a
        subject the file creates resolves to it wherever its rows stand."""
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            self.prefetch_slugs(chunk)
            for row in chunk:
                if row["subject"] and _subject_type(row) in ("entity", "event"):
                    self.subject(row, row["subject"], _subject_type(row), row["subject_kind"])
        # A Data Package's subjects that no claim names (all of their claims may be hidden).
        for key, described in self.batch.subjects.items():
            type_, slug = key.split(":", 1)
            if (type_, slug) not in self.subjects:
                files = {"entity": "entities.csv", "event": "events.csv"}
                row = exchange.Row(files[type_], described["row"], {})
                self.subject(row, slug, type_, described["kind"])

    def read_row(self, row):
        """(row, claim values, unsaved citation, the claim's identity), or None with the
        problems noted."""
        for column in exchange.REQUIRED:
            if not row[column]:
                self.problem(row, column, "required")
        if not all(row[column] for column in exchange.REQUIRED):
            return None
        values = self.claim_values(row)
        citation = self.citation(row, self.find_source(row))
        if values is None or citation is None:
            return None
        identity = tuple(
            getattr(values.get(name), "pk", values.get(name)) for name in Claim.IDENTITY_FIELDS
        )
        return row, values, citation, identity

    def prefetch_slugs(self, rows):
        """Load at once the subjects a chunk names by slug, so that each is one lookup."""
        for model in (Entity, Event):
            type_ = model._meta.model_name
            names = {
                name
                for row in rows
                for name in (row["subject"], row["value"], row["according_to"])
                if name and (type_, name) not in self.by_slug
            }
            for obj in model.objects.filter(slug__in=names):
                self.by_slug[(type_, obj.slug)] = obj

    def claim_values(self, row):
        """The fields of the row's claim, or None (with the problems noted)."""
        prop = self.properties.get(row["property"]) or self.properties.get(
            row["property"].casefold()
        )
        if prop is None:
            self.problem(row, "property", f"unknown property “{row['property']}”")
            return None
        type_ = _subject_type(row)
        if type_ not in ("entity", "event"):
            self.problem(row, "subject_type", f"“{type_}” is neither entity nor event")
            return None
        if not prop.applies_to_subject(type_):
            self.problem(row, "property", f"“{prop.code}” does not apply to an {type_}")
            return None
        values = {name: None for name in ("entity", "event", "according_to")}
        values[type_] = self.subject(row, row["subject"], type_, row["subject_kind"])
        values.update(property=prop, **self.value(row, prop))
        for column in ("start", "end", "point_in_time"):
            values[column] = self.date(row, column, row[column])
        values["part"] = row["part"]
        if row["according_to"]:
            values["according_to"] = self.subject(
                row, row["according_to"], "entity", column="according_to", creates=False
            )
        values["rank"] = self.choice(row, "rank", Claim.Rank, Claim.Rank.NORMAL)
        values["rank_reason"] = row["rank_reason"]
        values["note"] = row["note"]
        values["note_is_public"] = row["note_public"].casefold() == exchange.PUBLIC
        if row["note_public"].casefold() not in ("", exchange.PUBLIC, "no"):
            self.problem(row, "note_public", f"“{row['note_public']}” is neither yes nor no")
        if values["rank"] != Claim.Rank.NORMAL and not self.may(roles.can_rank):
            self.problem(row, "rank", "only a reviewer may prefer or deprecate a claim")
        probe = Claim(
            entity=values["entity"],
            value_entity=values.get("value_entity"),
            according_to=values["according_to"],
            statement=self.choice(row, "statement", Claim.Statement, ""),
        )
        probe.settle_statement()
        values["statement"] = probe.statement
        if None in (values.get("value_kind"), values[type_], values["statement"]) or any(
            values[name] is None
            for name in ("start", "end", "point_in_time", "rank")
            if name in values
        ):
            return None
        if row["according_to"] and values["according_to"] is None:
            return None
        return values

    def value(self, row, prop):
        text = row["value"]
        empty = {
            name: None if Claim._meta.get_field(name).null else "" for name in Claim.VALUE_FIELDS
        }
        if text.casefold() in (exchange.UNKNOWN_VALUE, exchange.NO_VALUE):
            kind = (
                Claim.ValueKind.UNKNOWN
                if text.casefold() == exchange.UNKNOWN_VALUE
                else (Claim.ValueKind.NONE)
            )
            for column in ("language", "low", "high"):
                if row[column]:
                    self.problem(row, column, f"a claim of “{text}” has no {column}")
            return {**empty, "value_kind": kind}
        datatype = Datatype(prop.datatype)
        takes = f"“{prop.code}” takes {datatype.label.lower()}"
        if not text:
            self.problem(row, "value", f"empty; {takes}, or write “unknown value” or “no value”")
            return {"value_kind": None}
        values = {**empty, "value_kind": Claim.ValueKind.VALUE}
        if datatype in (Datatype.ENTITY, Datatype.EVENT):
            obj = self.subject(row, text, datatype.value, column="value", creates=False)
            values[f"value_{datatype.value}"] = obj
            if obj is None:
                return {"value_kind": None}
        elif datatype == Datatype.DATE:
            values["value_date"] = self.date(row, "value", text)
            if values["value_date"] is None:
                return {"value_kind": None}
        elif datatype == Datatype.QUANTITY:
            values["value_quantity"] = self.number(row, "value", text, takes)
            values["quantity_low"] = self.number(row, "low", row["low"], takes)
            values["quantity_high"] = self.number(row, "high", row["high"], takes)
            if values["value_quantity"] is None:
                return {"value_kind": None}
        elif datatype == Datatype.URL:
            values["value_url"] = text
        else:
            values["value_text"] = text
        if datatype == Datatype.MONOLINGUAL:
            values["value_language"] = row["language"]
        elif row["language"]:
            self.problem(row, "language", f"only text in a language has one; {takes}")
        if datatype != Datatype.QUANTITY:
            for column in ("low", "high"):
                if row[column]:
                    self.problem(row, column, f"only a quantity has estimates; {takes}")
        return values

    def date(self, row, column, text):
        if not text:
            return ""
        try:
            return dates.to_edtf(text)
        except ValidationError:
            self.problem(
                row,
                column,
                f"“{text}” is not a date this reader knows (EDTF such as 2015-03-18, or "
                "words such as “mid-2012”)",
            )
            return None

    def number(self, row, column, text, takes):
        if not text:
            return None
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.problem(row, column, f"“{text}” is not a number; {takes}")
            return None
        return number

    def choice(self, row, column, choices, default):
        given = row[column].casefold()
        if not given:
            return default
        for value, label in choices.choices:
            if given in (value, label.casefold()):
                return value
        self.problem(row, column, f"“{row[column]}” is not one of {', '.join(choices.values)}")
        return None

    def citation(self, row, source):
        stance = self.choice(row, "stance", Citation.Stance, Citation.Stance.SUPPORTS)
        if source is None or stance is None:
            return None
        citation = Citation(
            source=source,
            locator=row["locator"],
            quote=row["quote"],
            translation=row["translation"],
            stance=stance,
            added_by=self.user,
        )
        try:
            # The database's constraints hold these too; the model's own checks name the
            # field, without a query per constraint.
            citation.clean_fields(exclude=["claim", "source", "added_by"])
            citation.clean()
        except ValidationError as error:
            self.refused(row, error)
            return None
        return citation

    def claim(self, row, values, identity, stored):
        """The stored claim these values make, or a new, checked, unsaved one; None if the
        row is left alone or refused."""
        same = stored.claims.get(identity)
        if same is not None:
            fields = _claim_fields(values, row)
            if any(getattr(same, name) != value for name, value in fields.items()):
                self.listed(
                    "left_alone",
                    f"{row.where()}: claim {same.pk} has another rank or note than the file; "
                    "kept as it is",
                )
            same._import_fields = fields
            return same
        left = stored.changed.get(identity) or stored.rejected.get(identity)
        if left is not None:
            why = (
                "a reviewer rejected it"
                if left.status == Claim.Status.REJECTED
                else f"it was imported with this value and has been changed since (now “{left}”)"
            )
            self.left[identity] = f"claim {left.pk}: {why}; kept as it is"
            self.leave(row, self.left[identity])
            return None
        claim = Claim(**values, status=self.batch.arrives_as)
        claim._import_fields = _claim_fields(values, row)
        claim._new = True
        try:
            # Its subjects and values were found in the database: no query checks them again.
            claim.clean_fields(exclude=RESOLVED)
            claim.check_value()
        except ValidationError as error:
            self.refused(row, error)
            return None
        claim.derive()
        self.counts["claims created"] += 1
        return claim

    def leave(self, row, why):
        self.listed("left_alone", f"{row.where()}: {why}")
        self.counts["rows left alone"] += 1

    def cite(self, row, claim, citation, stored):
        """Whether the row's citation is to be written on ``claim``; counts and lists it."""
        place = (citation.source.pk, citation.locator, citation.quote)
        held = stored.citations.get((claim.pk, *place)) if claim.pk else None
        if held is not None or (id(claim), *place) in self.cited:
            self.counts["citations unchanged"] += 1
            if held is not None and (held.translation, held.stance) != (
                citation.translation,
                citation.stance,
            ):
                self.listed(
                    "left_alone",
                    f"{row.where()}: citation {held.pk} has another translation or stance; kept",
                )
            return False
        new = getattr(claim, "_new", False)
        settled = claim.status in (Claim.Status.PUBLISHED, Claim.Status.REJECTED)
        if not new and settled and not self.may(roles.can_change_settled):
            self.counts["citations for a reviewer"] += 1
            self.listed(
                "needs_reviewer",
                f"{row.where()}: claim {claim.pk} “{claim}” is "
                f"{claim.get_status_display().lower()}; only a reviewer may add its citation",
            )
            return False
        if (
            citation.stance == Citation.Stance.DISPUTES
            and claim.status == Claim.Status.PUBLISHED
            and not (stored.supported.get(claim.pk) or self.supporting.get(id(claim)))
        ):
            self.problem(
                row,
                "stance",
                "a published claim needs a citation that supports it; this would be its only one",
            )
            return False
        citation.claim = claim
        self.cited.add((id(claim), *place))
        if citation.stance == Citation.Stance.SUPPORTS:
            self.supporting[id(claim)] = True
        self.counts["citations of new claims" if new else "citations added to existing claims"] += 1
        self.counts["citations created"] += 1
        return True

    def bulk_write(self, model, objs):
        """Insert new claims or citations, with their history rows, as ``write`` saves one."""
        if not objs:
            return
        self.write(None)
        model.objects.bulk_create(objs, batch_size=BATCH)
        record_created(
            model,
            [obj.pk for obj in objs],
            user=self.user,
            reason=self.batch.reason,
            change_set=self.change_set,
        )

    def settle(self):
        """What a save would have kept in step for each claim written in bulk: the search
        index of names, the disputes of each subject and property, the timeline's dates."""
        if self.errors:
            return
        made = sorted(self.made)
        for start in range(0, len(made), BATCH):
            named = Claim.objects.filter(pk__in=made[start : start + BATCH], property__is_name=True)
            index_names(named.select_related("property"))
        disputes.refresh_groups(self.groups)
        for event_id in sorted({event_id for _, event_id, _ in self.groups} - {None}):
            timeline.refresh_sort_date(event_id)

    def refused(self, row, error):
        for field, message in field_messages(error):
            self.problem(row, COLUMN_OF.get(field, field), message)

    def find_disputes(self):
        if self.errors:
            return
        touched = sorted(self.touched)
        disputed = []
        for start in range(0, len(touched), BATCH):
            chunk = Claim.objects.filter(pk__in=touched[start : start + BATCH], in_dispute=True)
            disputed.extend(chunk.values_list("pk", flat=True))
        if disputed:
            self.counts["claims in a dispute"] = len(disputed)
        listed = Claim.objects.filter(pk__in=disputed[:LISTED]).select_related(
            "property", "entity", "event", "value_entity", "value_event"
        )
        for claim in listed.order_by("pk"):
            # A claim the preview made is rolled back: it has no number to show yet.
            pk = claim.pk if self.applying or claim.pk not in self.made else None
            self.listed("disputes", {"claim": str(claim), "pk": pk})

    def listed(self, name, item):
        if len(self.lists[name]) < LISTED:
            self.lists[name].append(item)


IDENTITY_ATTNAMES = tuple(Claim._meta.get_field(name).attname for name in Claim.IDENTITY_FIELDS)


class _Stored:
    """What the database holds of the claims a chunk of rows gives, read in a few queries:
    the claims by identity (``Claim.IDENTITY_FIELDS``), those a reviewer rejected, those an
    import or a load wrote with that identity and someone has changed since, and the
    citations of the claims found."""

    def __init__(self):
        self.claims, self.rejected, self.changed, self.citations = {}, {}, {}, {}
        self.supported = {}

    def load(self, items, known):
        """Add what the database holds of the identities of ``items`` not ``known`` yet."""
        wanted = {identity for *_, identity in items if not known(identity)}
        if not wanted:
            return
        first = IDENTITY_ATTNAMES.index("entity_id")
        entities = {identity[first] for identity in wanted} - {None}
        events = {identity[first + 1] for identity in wanted} - {None}
        properties = {identity[IDENTITY_ATTNAMES.index("property_id")] for identity in wanted}
        near = (Q(entity_id__in=entities) | Q(event_id__in=events)) & Q(property_id__in=properties)
        found, rejected = {}, {}
        rows = Claim.objects.filter(near).values_list("pk", "status", *IDENTITY_ATTNAMES)
        for pk, status, *identity in rows.order_by("-pk"):
            identity = tuple(identity)
            if identity in wanted:
                table = rejected if status == Claim.Status.REJECTED else found
                table[identity] = pk  # the oldest wins: pks come newest first
        claims = Claim.objects.select_related(
            "property", "entity", "event", "value_entity", "value_event"
        ).in_bulk([*found.values(), *rejected.values()])
        self.claims.update({identity: claims[pk] for identity, pk in found.items()})
        self.rejected.update({identity: claims[pk] for identity, pk in rejected.items()})
        written = Claim.history.filter(near, change_set__kind__in=ownership.WRITERS)
        was = {}
        for pk, *identity in written.values_list("id", *IDENTITY_ATTNAMES):
            identity = tuple(identity)
            if identity in wanted and identity not in self.claims:
                was.setdefault(identity, pk)
        now = Claim.objects.in_bulk(set(was.values()))
        self.changed.update({identity: now[pk] for identity, pk in was.items() if pk in now})
        for citation in Citation.objects.filter(claim_id__in=found.values()):
            key = (citation.claim_id, citation.source_id, citation.locator, citation.quote)
            self.citations[key] = citation
            if citation.stance == Citation.Stance.SUPPORTS:
                self.supported[citation.claim_id] = True


def _claim_fields(values, row):
    """The claim's own fields the row gives (a cell left empty says nothing)."""
    given = {name: values[name] for name in ("rank", "rank_reason", "note") if row[name]}
    if row["note_public"]:
        given["note_is_public"] = values["note_is_public"]
    return given


def _subject_type(row):
    return row["subject_type"] or (
        "event" if row["subject_kind"] in Event.Kind.values else "entity"
    )


def field_messages(error):
    """[(model field or None, message)] of a ValidationError, one message each."""
    if not hasattr(error, "error_dict"):
        return [(None, message) for message in error.messages]
    return [
        (None if field == NON_FIELD_ERRORS else field, message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


def _distinct(matches):
    seen, kept = set(), []
    for match in matches:
        if match.pk not in seen:
            seen.add(match.pk)
            kept.append(match)
    return kept


def _survivor(obj):
    while getattr(obj, "merged_into_id", None):
        obj = obj.merged_into
    return obj


def _slug_of(model, pk):
    return model.objects.filter(pk=pk).values_list("slug", flat=True).first()


def _new_slug(model, name, kind):
    base = slugify(name)[:200] or kind
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _candidates(item):
    return ", ".join(
        f"{c['slug']} ({c['label']}, matched by “{c['matched_name']}”)" for c in item["candidates"]
    )
