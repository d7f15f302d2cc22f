"""Each rule has one home; these pin that every reader of a rule reads the same one."""

import itertools

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from core.forms import ReasonField
from entities.models import Entity
from events.models import Event
from imports.dataset import VALUE_KEYS
from sources.admin.claims import CLAIM_VALUE_FIELDS
from sources.models import VALUE_COLUMNS, Citation, Claim
from sources.reading import Footnotes, PastState
from sources.review.checks import run_checks
from sources.review.services import entity_merge
from tests.conftest import make_citation, make_claim, make_entity, make_event, make_source

# The publication rule


@pytest.fixture
def every_kind_of_claim(db):
    """A claim for each way of being public or not: its status, its citation, its subject's
    state (published, draft, merged) and its value's state."""
    survivor = make_entity()
    subjects = {
        "published": make_entity(),
        "draft": make_entity(published=False),
        "merged": make_entity(),
        "event": make_event(),
        "draft event": make_event(published=False),
    }
    values = {"none": None, "published": make_entity(), "draft": make_entity(published=False)}
    claims = []
    for status, cited, subject, value in itertools.product(
        [Claim.Status.PUBLISHED, Claim.Status.DRAFT], [True, False], subjects, values
    ):
        about = subjects[subject]
        side = "event" if isinstance(about, Event) else "entity"
        if values[value] is None:
            prop, fields = "date" if side == "event" else "inception", {}
        else:
            prop = "perpetrator" if side == "event" else "ally"
            fields = {"value_entity": values[value]}
        claims.append(
            make_claim(property=prop, cite=cited, status=status, **{side: about}, **fields)
        )
    subjects["merged"].merged_into = survivor
    subjects["merged"].save()
    return claims


def test_the_claim_rule_is_built_from_the_subjects_rules(every_kind_of_claim):
    public = set(Claim.objects.public())
    for claim in every_kind_of_claim:
        value_ok = claim.value_entity is None or Entity.objects.public().filter(
            pk=claim.value_entity_id
        )
        subject_ok = (
            Entity.objects.public().filter(pk=claim.entity_id).exists()
            or Event.objects.public().filter(pk=claim.event_id).exists()
        )
        cited = claim.citations.exists()
        expected = claim.status == Claim.Status.PUBLISHED and cited and subject_ok and value_ok
        assert (claim in public) == bool(expected), claim
    assert 0 < len(public) < len(every_kind_of_claim)


def test_the_past_state_applies_the_same_rule_as_the_live_tables(every_kind_of_claim):
    then = PastState(timezone.localdate()).claims(Q())
    assert {claim.pk for claim in then} == set(Claim.objects.public().values_list("pk", flat=True))


# Rank order


def test_the_database_and_memory_order_claims_the_same_way(db):
    entity = make_entity()
    claims = []
    for prop, rank in itertools.product(
        ["ally", "inception", "alias"], ["deprecated", "normal", "preferred"]
    ):
        fields = {"value_text": "Name", "value_language": "en"} if prop == "alias" else {}
        reason = "" if rank == "normal" else "because"
        claims.append(
            make_claim(property=prop, entity=entity, rank=rank, rank_reason=reason, **fields)
        )
    in_database = list(Claim.objects.filter(entity=entity).by_rank())
    assert in_database == sorted(claims, key=Claim.rank_key)
    ranks = [claim.rank for claim in in_database if claim.property.code == "ally"]
    assert ranks == ["preferred", "normal", "deprecated"]


def test_the_admin_claim_summary_lists_preferred_normal_deprecated(reviewer_client):
    entity = make_entity()
    for text, rank in [
        ("Deprecated Name", "deprecated"),
        ("Normal Name", "normal"),
        ("Preferred Name", "preferred"),
    ]:
        reason = "" if rank == "normal" else "because"
        make_claim(
            property="alias",
            entity=entity,
            value_text=text,
            value_language="en",
            rank=rank,
            rank_reason=reason,
        )
    page = reviewer_client.get(f"/admin/entities/entity/{entity.pk}/change/").content.decode()
    positions = [page.index(text) for text in ("Preferred Name", "Normal Name", "Deprecated Name")]
    assert positions == sorted(positions)


# An event's dates


def test_every_reader_of_an_events_dates_takes_the_same_claims(db):
    event = make_event()
    make_claim(
        property="date", event=event, value_date="2010", rank="deprecated", rank_reason="misread"
    )
    make_claim(property="date", event=event, value_date="2015-03")
    best = make_claim(
        property="date", event=event, value_date="2016-05", rank="preferred", rank_reason="court"
    )
    make_claim(property="date", event=event, value_kind=Claim.ValueKind.UNKNOWN)
    wanted = [best.pk, Claim.objects.get(event=event, value_date="2015-03").pk]

    event.refresh_from_db()
    assert event.sort_date.isoformat() == "2016-05-01"
    assert (
        list(Claim.objects.public().filter(event=event).event_dates().values_list("pk", flat=True))
        == wanted
    )
    past = PastState(timezone.localdate()).event(event.slug)
    assert [claim.pk for claim in past.date_claims] == wanted
    assert past.sort_date == event.sort_date


def test_the_checks_read_an_events_dates_by_the_same_rule(db):
    group = make_entity()
    make_claim(property="inception", entity=group, value_date="2014")
    event = make_event()
    make_claim(property="perpetrator", event=event, value_entity=group)
    make_claim(
        property="date", event=event, value_date="2010", rank="deprecated", rank_reason="misread"
    )
    assert not [f for f in run_checks() if f.code == "outside_lifespan"]
    make_claim(property="date", event=event, value_date="2012")
    assert [f.pk for f in run_checks() if f.code == "outside_lifespan"] == [event.pk]


# What a verification vouches for


@pytest.mark.parametrize(
    "field, value", [("locator", "p. 2"), ("quote", "Other words."), ("translation", "In English")]
)
def test_changing_any_vouched_word_undoes_a_verification(db, reviewer, editor, field, value):
    citation = make_citation(claim=make_claim(cite=False), added_by=editor)
    citation.verified_by, citation.verified_at = reviewer, timezone.now()
    citation.save()
    setattr(citation, field, value)
    citation.save()
    citation.refresh_from_db()
    assert not citation.is_verified


def test_a_changed_translation_is_verified_again_by_whoever_changed_it(
    reviewer_client, reviewer, editor, second_reviewer
):
    from tests.admin_helpers import claim_post_data

    claim = make_claim(cite=False, status=Claim.Status.DRAFT)
    citation = make_citation(claim=claim, added_by=editor)
    citation.verified_by, citation.verified_at = second_reviewer, timezone.now()
    citation.save()
    data = claim_post_data(
        claim,
        citations=[
            {
                "id": citation.pk,
                "source": citation.source_id,
                "locator": citation.locator,
                "quote": citation.quote,
                "translation": "A new translation",
                "verified": "on",
                "version": citation.version,
            }
        ],
    )
    response = reviewer_client.post(f"/admin/sources/claim/{claim.pk}/change/", data)
    assert response.status_code == 302
    citation.refresh_from_db()
    # The box stayed ticked: the reviewer who changed the words vouches for them now.
    assert citation.translation == "A new translation"
    assert citation.verified_by == reviewer


def test_one_footnote_per_passage_as_verification_sees_a_passage(db):
    source, claim = make_source(), make_claim(cite=False)
    passage = {"claim": claim, "source": source, "locator": "p. 1", "quote": "Words."}
    first, same = make_citation(**passage), make_citation(**passage)
    translated = make_citation(**passage, translation="Mots.")
    footnotes = Footnotes()
    assert [footnotes.number(c)[0] for c in (first, same, translated)] == [1, 1, 2]
    assert set(Citation.VOUCHED_FIELDS) == {"source", "locator", "stance", "quote", "translation"}


# Value columns


def test_the_loader_and_the_admin_read_the_models_value_columns():
    columns = set(VALUE_COLUMNS.values())
    assert {column for column, _ in VALUE_KEYS.values()} == columns
    assert columns <= set(CLAIM_VALUE_FIELDS)
    for key, (column, datatypes) in VALUE_KEYS.items():
        assert column == f"value_{key}"
        assert datatypes == {
            datatype for datatype, filled in VALUE_COLUMNS.items() if filled == column
        }


# One search


def test_the_admin_and_the_public_site_search_names_alike(reviewer_client, client):
    entity = make_entity(label="Okba Ibn Nafaa Brigade")
    make_claim(
        property="alias",
        entity=entity,
        value_text="Katībat ʿUqba ibn Nāfiʿ",
        value_language="ar-Latn",
    )
    make_claim(
        property="alias",
        entity=entity,
        value_text="Draft-only Spelling",
        value_language="en",
        status=Claim.Status.DRAFT,
    )
    for query in ("katibat uqba", "UQBA IBN"):
        assert entity.label in client.get("/search/", {"q": query}).content.decode()
        assert (
            entity.label
            in reviewer_client.get("/admin/entities/entity/", {"q": query}).content.decode()
        )
        autocomplete = reviewer_client.get(
            "/admin/autocomplete/",
            {"term": query, "app_label": "sources", "model_name": "claim", "field_name": "entity"},
        ).json()
        assert [row["text"] for row in autocomplete["results"]] == [entity.label]
    # Curators find drafts; readers never do.
    assert (
        entity.label
        in reviewer_client.get("/admin/entities/entity/", {"q": "draft only"}).content.decode()
    )
    assert entity.label not in client.get("/search/", {"q": "draft only"}).content.decode()


# One role policy


def user_with(*codenames, name):
    """A staff user whose group holds the editor's permissions plus ``codenames``."""
    group = Group.objects.create(name=f"group of {name}")
    group.permissions.set(Group.objects.get(name="Editor").permissions.all())
    for codename in codenames:
        group.permissions.add(Permission.objects.get(codename=codename))
    user = User.objects.create_user(username=name, password="pw-for-tests-only", is_staff=True)
    user.groups.add(group)
    return user


@pytest.mark.parametrize(
    "codename, offered, withheld",
    [
        (
            "verify_citation",
            {"verify_citations"},
            {"publish_claims", "reject_claims", "deprecate_claims"},
        ),
        (
            "publish_claim",
            {"publish_claims", "reject_claims"},
            {"verify_citations", "deprecate_claims"},
        ),
        (
            "rank_claim",
            {"deprecate_claims"},
            {"verify_citations", "publish_claims", "reject_claims"},
        ),
    ],
)
def test_each_power_is_one_permission_in_forms_and_actions_alike(
    client, db, codename, offered, withheld
):
    user = user_with(codename, name=codename)
    client.force_login(user)
    claim = make_claim(status=Claim.Status.DRAFT)
    lists = (
        client.get("/admin/sources/claim/").content.decode()
        + client.get("/admin/sources/citation/").content.decode()
    )
    for action in offered:
        assert f'value="{action}"' in lists
    for action in withheld:
        assert f'value="{action}"' not in lists
    page = client.get(f"/admin/sources/claim/{claim.pk}/change/")
    html = page.content.decode()
    assert ('name="citations-__prefix__-verified"' in html) == (codename == "verify_citation")
    assert ('name="rank"' in html) == (codename == "rank_claim")
    assert ('name="status_reason"' in html) == (codename == "publish_claim")
    queue = client.get("/admin/sources/claim/review/").context
    assert queue["can_verify"] == (codename == "verify_citation")
    assert queue["can_publish"] == (codename == "publish_claim")


def test_merging_is_a_power_of_its_own(client, db):
    reviewer_without_merge = user_with(
        "publish_claim", "rank_claim", "verify_citation", "change_entity", name="r"
    )
    client.force_login(reviewer_without_merge)
    assert 'value="merge_entities"' not in client.get("/admin/entities/entity/").content.decode()
    with pytest.raises(PermissionDenied):
        entity_merge(
            source=make_entity(), target=make_entity(), user=reviewer_without_merge, reason="same"
        )


# One reason field


def test_every_reason_asked_for_is_the_same_field():
    from core.forms import ReasonedForm, RevertForm
    from sources.review.actions import MergeForm, ReasonForm, UnmergeForm

    forms = [
        ReasonedForm.base_fields["change_reason"],
        RevertForm.base_fields["reason"],
        MergeForm.base_fields["reason"],
        UnmergeForm.base_fields["reason"],
        ReasonForm(label="Why", help_text="").fields["reason"],
    ]
    assert all(isinstance(field, ReasonField) for field in forms)
