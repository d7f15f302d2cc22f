"""Curated datasets: folders of YAML files under ``fixtures/`` loaded into the database.

A dataset folder holds four files, each a list of records, one fact per record:

``sources.yaml``
    ``key`` (stable; becomes ``Source.import_key``), ``kind``, ``title``, ``author``,
    ``publisher``, ``published_on``, ``url``, ``archive_url``, ``accessed_on``, ``language``,
    ``reliability``, and ``archived_text_file``: a path relative to the folder whose text,
    read byte for byte, is the source's archived text.
``entities.yaml`` and ``events.yaml``
    ``slug``, ``label``, ``kind``, ``description``, ``published`` (default true); for an
    entity also ``not_the_same``: a list of ``entity`` (a slug) and ``reason``, entities whose
    names are alike its own but which are other entities (``search.models.DistinctPair``).
    Such a judgement is written once; once a reviewer has judged the pair, the files no
    longer touch it.
``claims.yaml``
    ``key`` (stable; becomes ``Claim.import_key``), ``subject`` (``{entity: slug}`` or
    ``{event: slug}``), ``property`` (a property code) and one value: ``entity: slug``,
    ``event: slug``, ``date: EDTF``, ``quantity: n`` (with optional ``low`` and ``high``),
    ``text: ...`` (plus ``language: tag`` for text in a language) or ``url: ...``; or
    ``value_kind: unknown`` / ``none`` and no value. Then optional ``start``, ``end``,
    ``point_in_time``, ``part`` (what part of the whole a count counts), ``according_to``
    (the slug of the entity on whose word it is) and ``statement`` (``claimed``,
    ``attributed`` or ``established``), ``rank`` and ``rank_reason``, ``status`` (default
    published) and ``status_reason`` (required for a rejected claim), ``note`` and
    ``note_is_public``, and ``citations``: a list of ``source`` (a source key), ``locator``,
    ``quote``, optional ``translation`` and ``stance`` (``supports``, the default, or
    ``disputes``).

Dates (``published_on``, ``date``, ``start``, ``end``, ``point_in_time``) are EDTF or written
as sources write them ("mid-2012", "March 18, 2015"), and stored as EDTF (``core.dates``).

Sources and claims are matched to the database by key, entities and events by slug, and
citations within their claim by source, locator and quote. Every record is checked with the
models' own ``full_clean()``, as the admin checks a form, and a quote must stand in its
source's archived text. One broken record stops the whole load: every problem is reported,
naming file and record, and nothing is written.

The dataset owns a record only until someone changes it outside the loader. Every history
row a load writes belongs to the load's change set (``core.models.ChangeSet``, kind "load").
A record whose latest history row is anything else (a reviewer's edit in the admin, a merge, a
revert, a save from a script) is left exactly as it is, and so, for a claim, are its
citations; if the files say otherwise, the load reports it as changed in the admin since it
was loaded. Records that only loads have written are created and updated from the files,
and a claim's citations that only loads have written are deleted when the files no longer
give them (their history stays).
"""

import contextlib
import dataclasses
import datetime
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from core import dates
from core.history import delete_with_reason, save_with_reason
from core.models import ChangeSet
from entities.models import Entity
from events.models import Event
from search.models import DistinctPair
from sources.models import (
    VALUE_COLUMNS,
    Citation,
    Claim,
    Datatype,
    Property,
    Reliability,
    Source,
)

from . import ownership, services
from .services import field_messages

SOURCE_FIELDS = {"key", *services.SOURCE_FIELDS, "archived_text_file"}
SUBJECT_FIELDS = {"slug", "label", "kind", "description", "published"}
ENTITY_FIELDS = {*SUBJECT_FIELDS, "not_the_same"}
CLAIM_FIELDS = {
    "key",
    "subject",
    "property",
    "value_kind",
    "entity",
    "event",
    "date",
    "quantity",
    "low",
    "high",
    "text",
    "language",
    "url",
    "start",
    "end",
    "point_in_time",
    "part",
    "according_to",
    "statement",
    "rank",
    "rank_reason",
    "status",
    "status_reason",
    "note",
    "note_is_public",
    "citations",
}
# A citation in a file gives the words a verification vouches for, under their own names.
CITATION_FIELDS = set(Citation.VOUCHED_FIELDS)

# A claim's value as written in a file ("date: 2015"): the column it fills (value_date) and the
# datatypes it suits, from the model's one map of datatypes to value columns.
VALUE_KEYS = {
    column.removeprefix("value_"): (
        column,
        {datatype for datatype, filled in VALUE_COLUMNS.items() if filled == column},
    )
    for column in dict.fromkeys(VALUE_COLUMNS.values())
}
# Model field names as the files spell them, so that errors point at what the curator wrote.
FILE_FIELD_NAMES = {
    "value_entity": "entity",
    "value_event": "event",
    "value_date": "date",
    "value_quantity": "quantity",
    "quantity_low": "low",
    "quantity_high": "high",
    "value_text": "text",
    "value_language": "language",
    "value_url": "url",
    "import_key": "key",
    "archived_text": "archived_text_file",
}
# Where a record stands in review: set when the load creates it, then the reviewers' to change.
SET_ONCE = ("published", "status", "status_reason")
EMPTY_VALUE = {
    name: None if Claim._meta.get_field(name).null else "" for name in Claim.VALUE_FIELDS
}


class _Invalid(Exception):
    """A record the models refuse; what is wrong is on the record's problems."""


class DatasetError(Exception):
    """A dataset that cannot be loaded; ``errors`` lists every problem found."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclasses.dataclass
class LoadResult:
    """What a load did, per kind of record ("sources", "claims", …)."""

    created: Counter
    updated: Counter
    unchanged: Counter
    deleted: Counter  # citations the files no longer give, which only loads had written
    not_in_dataset: list  # loaded earlier, no longer in the files, left as they are
    changed_since_load: list  # changed in the admin since they were loaded, left as they are
    unverified: list  # citations whose words the files corrected: their verification undone

    @property
    def changed(self):
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())


def load_dataset(*, directory, reason, status=Claim.Status.DRAFT):
    """Create or update everything a dataset folder describes, in one transaction.

    Records that already match the files are not saved again, so a second load adds no
    history; records changed outside the loader since they were loaded are not written
    either. Raises DatasetError, having written nothing, if any record is broken.
    """
    return _Load(Path(directory), reason, status).run()


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as written and refuses a key given twice in one record."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"a field name must be text, not {_type_name(key)}",
                    key_node.start_mark,
                ) from None
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"“{key}” appears twice in one record", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


# "2015-03-18" must stay the EDTF string it is, not become a datetime.date.
_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Record:
    """One record of a dataset file, and the problems found in it."""

    def __init__(self, file, what, data, position):
        self.file, self.what, self.data = file, what, data
        ident = data.get("key") or data.get("slug")
        self.name = (
            f"{what} “{ident}”" if isinstance(ident, str) and ident else f"{what} #{position}"
        )
        self.problems = []
        # Points at a record that failed: skipped quietly, that record's error says why.
        self.depends_on_broken = False

    def __contains__(self, field):
        return field in self.data

    def problem(self, message):
        self.problems.append(message)

    def check_fields(self, allowed, required):
        for field in sorted(set(self.data) - allowed, key=str):
            self.problem(f"unknown field “{field}”")
        for field in sorted(required - set(self.data)):
            self.problem(f"“{field}” is required")

    def text(self, field, default=""):
        value = self.data.get(field, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self.problem(f"{field}: expected text, not {_type_name(value)}")
            return default
        return value

    def edtf(self, field):
        """A date as EDTF: written as EDTF or in words ("mid-2012"), or a bare year as a
        number. What cannot be read is passed on as written, for full_clean() to refuse."""
        value = self.data.get(field, "")
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(
                f"{field}: expected an EDTF date such as 2015-03-18, not {_type_name(value)}"
            )
            return ""
        try:
            return dates.to_edtf(value)
        except ValidationError:
            return value

    def number(self, field):
        value = self.data.get(field)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.problem(f"{field}: expected a number, not {_type_name(value)}")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            # NaN and infinity are not counts or estimates, and NaN cannot be compared.
            self.problem(f"{field}: expected a number, not “{value}”")
            return None
        return number

    def flag(self, field, default):
        value = self.data.get(field, default)
        if not isinstance(value, bool):
            self.problem(f"{field}: expected true or false, not {_type_name(value)}")
            return default
        return value

    def validation_error(self, error, prefix=""):
        for field, message in field_messages(error):
            # Named as the files spell them, so that errors point at what the curator wrote.
            field = FILE_FIELD_NAMES.get(field, field)
            self.problem(f"{prefix}{message}" if field is None else f"{prefix}{field}: {message}")


def _type_name(value):
    return {
        dict: "a mapping",
        list: "a list",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _citation_name(citation, claim):
    return (
        f"citation {citation.pk} ({citation.locator or 'no locator'}) of claim “{claim.import_key}”"
    )


def _differs(obj, name, value):
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


class _Load:
    def __init__(self, directory, reason, status):
        self.directory = directory
        self.reason = reason
        self.status = status
        self.description = f"Loaded the {directory.name} dataset"
        self._change_set = None
        self.errors = []
        self.created, self.updated, self.unchanged = Counter(), Counter(), Counter()
        self.deleted = Counter()
        self.not_in_dataset = []
        self.changed_since_load = []
        self.unverified = []
        self.sources, self.entities, self.events = {}, {}, {}
        self.broken = set()  # (model, key or slug) of the records that failed
        self.properties = {prop.code: prop for prop in Property.objects.all()}

    def run(self):
        files = {
            name: self.read(name)
            for name in ("sources.yaml", "entities.yaml", "events.yaml", "claims.yaml")
        }
        with transaction.atomic():
            for record in files["sources.yaml"]:
                self.load_source(record)
            for record in files["entities.yaml"]:
                self.load_subject(record, Entity, self.entities)
            for record in files["entities.yaml"]:
                self.load_distinct_pairs(record)
            for record in files["events.yaml"]:
                self.load_subject(record, Event, self.events)
            keys = set()
            for record in files["claims.yaml"]:
                self.load_claim(record, keys)
            if self.errors:
                # Leaving the block by an exception rolls back every write made above.
                raise DatasetError(self.errors)
            self.find_claims_not_in_dataset(keys)
        return LoadResult(
            self.created,
            self.updated,
            self.unchanged,
            self.deleted,
            self.not_in_dataset,
            self.changed_since_load,
            self.unverified,
        )

    # Reading

    def read(self, name):
        what = {"sources.yaml": "source", "entities.yaml": "entity", "events.yaml": "event"}.get(
            name, "claim"
        )
        path = self.directory / name
        try:
            with open(path, encoding="utf-8") as file:
                data = yaml.load(file, Loader=_YamlLoader)
        except FileNotFoundError:
            self.errors.append(f"{name}: the file is missing from {self.directory}")
            return []
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            self.errors.append(f"{name}: not readable as YAML: {error}")
            return []
        if data is None:
            return []
        if not isinstance(data, list):
            self.errors.append(f"{name}: expected a list of records, not {_type_name(data)}")
            return []
        records = []
        for position, item in enumerate(data, start=1):
            if isinstance(item, dict):
                records.append(_Record(name, what, item, position))
            else:
                self.errors.append(
                    f"{name}: {what} #{position}: expected a mapping, not {_type_name(item)}"
                )
        return records

    def report(self, record):
        self.errors.extend(
            f"{record.file}: {record.name}: {problem}" for problem in record.problems
        )
        return not record.problems

    def check_unique(self, record, field, seen, model=None):
        value = record.data.get(field)
        if isinstance(value, str) and (value in seen or (model, value) in self.broken):
            record.problem(f"another record already has the {field} “{value}”")

    # Writing

    def check(self, record, obj, values):
        """Set the values on obj and check it with the model's own ``full_clean()``, as the
        admin checks a form. Returns whether obj differs from what is stored; raises
        ``_Invalid``, the problems noted on the record, if the models refuse it.
        """
        changed = obj.pk is None or any(
            _differs(obj, name, value) for name, value in values.items()
        )
        for name, value in values.items():
            setattr(obj, name, value)
        try:
            obj.full_clean()
        except ValidationError as error:
            record.validation_error(error)
            raise _Invalid from error
        return changed

    def write(self, obj, changed):
        """Save obj if it changed (an unchanged record gets no new history row), and count it."""
        kind = str(obj._meta.verbose_name_plural)
        if not changed:
            self.unchanged[kind] += 1
            return obj
        (self.updated if obj.pk else self.created)[kind] += 1
        return save_with_reason(obj, user=None, reason=self.reason, change_set=self.change_set)

    @property
    def change_set(self):
        """The load's change set, made when the first record is written: a load that
        changes nothing leaves no trace."""
        if self._change_set is None:
            self._change_set = ChangeSet.objects.create(
                kind=ChangeSet.Kind.LOAD,
                description=self.description,
                reason=self.reason,
            )
        return self._change_set

    def put(self, record, obj, values):
        """Check obj against the file and write it if the dataset still owns it, else leave it.

        Returns the object as it now stands; raises ``_Invalid``.
        """
        if obj.pk is None:
            return self.write(obj, self.check(record, obj, values))
        values = {name: value for name, value in values.items() if name not in SET_ONCE}
        if self.owns(obj, values):
            return self.write(obj, self.check(record, obj, values))
        return self.leave(record, obj, values, record.name)

    def owns(self, obj, values):
        """Whether this dataset still owns ``obj`` (``imports.ownership``): its own load wrote
        it last, and nobody has changed the fields the files give since."""
        return ownership.owns(obj, values, writer=self.description)

    def leave(self, record, obj, values, name, differs=lambda: False):
        """Check obj against the file but keep it as stored: it was changed outside the loader.

        Reported if the file says otherwise (``differs`` tells whether its dependents do).
        Returns the object as stored; raises ``_Invalid``.
        """
        changed = self.check(record, obj, values)
        if record.problems:
            raise _Invalid
        obj.refresh_from_db()
        if changed or differs():
            self.changed_since_load.append(name)
        else:
            self.unchanged[str(obj._meta.verbose_name_plural)] += 1
        return obj

    def load_source(self, record):
        record.check_fields(SOURCE_FIELDS, {"key", "kind", "title"})
        self.check_unique(record, "key", self.sources, Source)
        key = record.text("key")
        values = {
            field: record.text(field)
            for field in ("kind", "title", "author", "publisher", "url", "archive_url", "language")
        }
        values["published_on"] = record.edtf("published_on")
        values["reliability"] = record.text("reliability", Reliability.F)
        values["accessed_on"] = None
        if record.data.get("accessed_on") is not None:
            try:
                values["accessed_on"] = datetime.date.fromisoformat(record.text("accessed_on"))
            except ValueError:
                record.problem("accessed_on: expected a day such as 2025-01-31")
        values["archived_text"] = ""
        if "archived_text_file" in record:
            path = self.directory / record.text("archived_text_file")
            try:
                # newline="" keeps the text exactly as the file holds it.
                with open(path, encoding="utf-8", newline="") as file:
                    values["archived_text"] = file.read()
            except (OSError, UnicodeDecodeError) as error:
                record.problem(f"archived_text_file: cannot read {path}: {error}")
        if not record.problems:
            obj = Source.objects.filter(import_key=key).first() or Source(import_key=key)
            with contextlib.suppress(_Invalid):
                self.sources[key] = self.put(record, obj, values)
        if not self.report(record):
            self.broken.add((Source, key))

    def load_subject(self, record, model, table):
        allowed = ENTITY_FIELDS if model is Entity else SUBJECT_FIELDS
        record.check_fields(allowed, {"slug", "label", "kind"})
        self.check_unique(record, "slug", table, model)
        slug = record.text("slug")
        values = {field: record.text(field) for field in ("slug", "label", "kind", "description")}
        values["published"] = record.flag("published", True)
        if not record.problems:
            obj = model.objects.filter(slug=slug).first() or model()
            with contextlib.suppress(_Invalid):
                table[slug] = self.put(record, obj, values)
        if not self.report(record):
            self.broken.add((model, slug))

    def load_distinct_pairs(self, record):
        """The entities a record says are not its own, each pair written once."""
        record.problems = []  # those of the entity itself are reported already
        judged = record.data.get("not_the_same") or []
        entity = self.entities.get(record.data.get("slug"))
        if not isinstance(judged, list):
            record.problem("not_the_same: expected a list of entity and reason")
            judged = []
        for position, item in enumerate(judged, start=1):
            field = f"not_the_same {position}"
            if not isinstance(item, dict) or set(item) != {"entity", "reason"}:
                record.problem(f"{field}: expected an entity and a reason")
                continue
            other = self.find(
                record, f"{field}: entity", self.entities, Entity, "slug", item["entity"]
            )
            if entity is None or other is None:
                continue
            pair = DistinctPair(first=entity, second=other, reason=str(item["reason"]))
            pair.put_in_order()
            ever = DistinctPair.history.filter(first_id=pair.first_id, second_id=pair.second_id)
            if ever.exists():
                self.unchanged[str(DistinctPair._meta.verbose_name_plural)] += 1
                continue
            try:
                pair.full_clean(exclude=["judged_by"])
            except ValidationError as error:
                record.validation_error(error, f"{field}: ")
                continue
            self.write(pair, changed=True)
        self.report(record)

    def find(self, record, field, table, model, lookup, value):
        """The object a record points at: loaded in this run, or already in the database."""
        if not isinstance(value, str) or not value:
            record.problem(
                f"{field}: expected a {lookup} of {model._meta.verbose_name}, "
                f"not {_type_name(value)}"
            )
            return None
        if value in table:
            return table[value]
        if (model, value) in self.broken:
            record.depends_on_broken = True
            return None
        obj = model.objects.filter(**{lookup: value}).first()
        if obj is None:
            record.problem(f"{field}: unknown {model._meta.verbose_name} “{value}”")
        return obj

    def load_claim(self, record, keys):
        record.check_fields(CLAIM_FIELDS, {"key", "subject", "property", "citations"})
        self.check_unique(record, "key", keys)
        key = record.text("key")
        keys.add(key)
        values = self.claim_values(record)
        checked = values is not None and not record.problems
        citations = self.citations(record)
        if checked:
            claim = Claim.objects.filter(import_key=key).first() or Claim(import_key=key)
            same = Claim(**values).same_claim() if claim.pk is None else None
            if same is not None and self.anothers(same):
                claim = same
            with contextlib.suppress(_Invalid):
                if claim.pk is not None:
                    values = {k: v for k, v in values.items() if k not in SET_ONCE}
                if claim.pk is not None and self.anothers(claim) and citations is not None:
                    # Another dataset's claim: this one adds its evidence, not its words.
                    self.save_citations(record, claim, citations)
                    if any(_differs(claim, name, value) for name, value in values.items()):
                        self.changed_since_load.append(
                            f"{record.name}: the claim is another dataset's "
                            f"(claim {claim.pk}); its citations were added, its fields kept"
                        )
                elif claim.pk is None or self.owns(claim, values):
                    changed = self.check(record, claim, values)
                    if citations is not None and not record.problems:
                        self.save_citations(record, self.write(claim, changed), citations)
                elif citations is not None:
                    # Neither the claim nor its citations are written.
                    differ = partial(_citations_differ, claim, citations)
                    self.leave(record, claim, values, record.name, differ)
                else:
                    self.check(record, claim, values)
        self.report(record)

    def claim_values(self, record):
        """The model fields of a claim record, or None if it points at something broken or
        missing."""
        values = dict(EMPTY_VALUE)
        prop = None
        code = record.data.get("property")
        if isinstance(code, str) and code in self.properties:
            prop = values["property"] = self.properties[code]
        else:
            record.problem(f"property: unknown property “{code}”")

        subject = record.data.get("subject")
        if isinstance(subject, dict) and len(subject) == 1 and set(subject) <= {"entity", "event"}:
            ((kind, slug),) = subject.items()
            table, model = (self.entities, Entity) if kind == "entity" else (self.events, Event)
            values["entity"], values["event"] = None, None
            values[kind] = self.find(record, "subject", table, model, "slug", slug)
        elif "subject" in record:
            record.problem("subject: expected {entity: slug} or {event: slug}")

        values["value_kind"] = record.text("value_kind", Claim.ValueKind.VALUE)
        given = [name for name in VALUE_KEYS if name in record]
        if values["value_kind"] == Claim.ValueKind.VALUE:
            if len(given) != 1:
                record.problem(
                    "give exactly one value (entity, event, date, quantity, text or url), "
                    "or value_kind: unknown or none"
                )
            elif prop is not None and prop.datatype not in VALUE_KEYS[given[0]][1]:
                record.problem(
                    f"{given[0]}: property “{prop.code}” takes a value of type "
                    f"“{Datatype(prop.datatype).label}”, not {given[0]}"
                )
        elif given:
            record.problem(f"a claim with value_kind “{values['value_kind']}” has no {given[0]}")

        if "entity" in record:
            values["value_entity"] = self.find(
                record, "entity", self.entities, Entity, "slug", record.data["entity"]
            )
        if "event" in record:
            values["value_event"] = self.find(
                record, "event", self.events, Event, "slug", record.data["event"]
            )
        values["value_date"] = record.edtf("date")
        values["value_quantity"] = record.number("quantity")
        values["quantity_low"] = record.number("low")
        values["quantity_high"] = record.number("high")
        values["value_text"] = record.text("text")
        values["value_language"] = record.text("language")
        values["value_url"] = record.text("url")
        for field in ("start", "end", "point_in_time"):
            values[field] = record.edtf(field)
        values["part"] = record.text("part")
        values["statement"] = record.text("statement")
        values["according_to"] = None
        if "according_to" in record:
            values["according_to"] = self.find(
                record, "according_to", self.entities, Entity, "slug", record.data["according_to"]
            )
        values["rank"] = record.text("rank", Claim.Rank.NORMAL)
        values["rank_reason"] = record.text("rank_reason")
        values["status"] = record.text("status", self.status)
        # Always with the status, so that no earlier reason outlives the status it explained.
        values["status_reason"] = record.text("status_reason")
        values["note"] = record.text("note")
        values["note_is_public"] = record.flag("note_is_public", False)
        if prop is None or record.depends_on_broken:
            return None
        if not (values.get("entity") or values.get("event")):
            return None
        # As the model will settle it on save, so that a reload compares like with like.
        probe = Claim(
            entity=values.get("entity"),
            value_entity=values["value_entity"],
            according_to=values["according_to"],
            statement=values["statement"],
        )
        probe.settle_statement()
        values["statement"] = probe.statement
        return values

    def citations(self, record):
        """Unsaved citations of a claim record, each checked except for the claim it belongs to."""
        items = record.data.get("citations")
        if not isinstance(items, list) or not items:
            if "citations" in record:
                record.problem("citations: expected a list of at least one citation")
            return None
        citations, broken, supporting = [], False, False
        for position, item in enumerate(items, start=1):
            prefix = f"citation {position}: "
            if not isinstance(item, dict):
                record.problem(f"{prefix}expected a mapping, not {_type_name(item)}")
                broken = True
                continue
            for field in sorted(set(item) - CITATION_FIELDS, key=str):
                record.problem(f"{prefix}unknown field “{field}”")
            for field in sorted({"source", "quote"} - set(item)):
                record.problem(f"{prefix}“{field}” is required")
            fields = {}
            for field in ("locator", "quote", "translation", "stance"):
                value = item.get(field, "")
                if not isinstance(value, str):
                    record.problem(f"{prefix}{field}: expected text, not {_type_name(value)}")
                    value = ""
                fields[field] = value
            fields["stance"] = fields["stance"] or Citation.Stance.SUPPORTS
            source = self.find(
                record, f"{prefix}source", self.sources, Source, "import_key", item.get("source")
            )
            if source is None:
                broken = True
                continue
            citation = Citation(source=source, **fields)
            supporting = supporting or citation.stance == Citation.Stance.SUPPORTS
            try:
                citation.full_clean(exclude=["claim"])
            except ValidationError as error:
                record.validation_error(error, prefix)
                broken = True
            citations.append(citation)
        published = record.data.get("status", self.status) == Claim.Status.PUBLISHED
        if citations and published and not supporting:
            record.problem(
                "citations: a published claim needs a citation that supports it (stance: supports)"
            )
            broken = True
        return None if broken else citations

    def save_citations(self, record, claim, citations):
        """Match each citation to one the claim already has, update or create it."""
        existing = list(claim.citations.all()) if not claim._state.adding else []

        def take(test):
            for candidate in existing:
                if test(candidate):
                    existing.remove(candidate)
                    return candidate
            return None

        same_place = {}
        for citation in citations:
            same_place[id(citation)] = take(
                lambda old, new=citation: (
                    (old.source_id, old.locator, old.quote)
                    == (new.source.pk, new.locator, new.quote)
                )
            )
        for citation in citations:
            # A corrected quote or locator updates the citation it corrects, one of this
            # dataset's own: another dataset's citation of the same page is another's word.
            old = same_place[id(citation)] or take(
                lambda old, new=citation: (
                    old.source_id == new.source.pk
                    and (old.locator == new.locator or old.quote == new.quote)
                    and not self.anothers(old)
                )
            )
            target = old or Citation(claim=claim)
            values = {name: getattr(citation, name) for name in Citation.VOUCHED_FIELDS}
            with contextlib.suppress(_Invalid):
                if old is not None and not self.owns(old, values):
                    self.leave(record, target, values, _citation_name(old, claim))
                else:
                    verified = target.is_verified
                    self.write(target, self.check(record, target, values))
                    if verified and not target.is_verified:
                        # The files corrected words a reviewer had vouched for.
                        self.unverified.append(_citation_name(target, claim))
        for citation in existing:
            # A citation the files no longer give is the dataset's to remove while only
            # loads have written it; one a curator worked on stays.
            if not citation.is_verified and self.owns(citation, Citation.VOUCHED_FIELDS):
                delete_with_reason(
                    citation, user=None, reason=self.reason, change_set=self.change_set
                )
                self.deleted["citations"] += 1
            elif not self.anothers(citation):
                self.not_in_dataset.append(_citation_name(citation, claim))

    def anothers(self, obj):
        """Whether another dataset's load wrote ``obj`` last."""
        revision = ownership.last_written(obj)
        return (
            revision is not None
            and revision.change_set.kind == ChangeSet.Kind.LOAD
            and revision.change_set.description != self.description
        )

    def find_claims_not_in_dataset(self, keys):
        stale = (
            Claim.objects.filter(
                import_key__isnull=False, citations__source__in=self.sources.values()
            )
            .exclude(import_key__in=keys)
            .distinct()
            .order_by("import_key")
        )
        self.not_in_dataset.extend(
            f"claim “{claim.import_key}”" for claim in stale if not self.anothers(claim)
        )


def _citations_differ(claim, citations):
    """Whether a stored claim's citations differ from the file's (as unsaved citations)."""

    def rows(items, source_id):
        return Counter(
            (source_id(item), item.locator, item.stance, item.quote, item.translation)
            for item in items
        )

    return rows(claim.citations.all(), lambda c: c.source_id) != rows(
        citations, lambda c: c.source.pk
    )
