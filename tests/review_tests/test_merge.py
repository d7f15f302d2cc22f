import pytest

from core.models import ChangeSet
from entities.models import Entity
from sources.models import Claim
from sources.review.services import CurationError, entity_merge, entity_unmerge
from tests.conftest import make_citation, make_claim, make_entity, make_event

from .conftest import post_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """The seed's duplicate: the same group entered under its two names."""
    survivor = make_entity(
        label="Islamic State – Tunisia Province", slug="islamic-state-tunisia-province"
    )
    loser = make_entity(label="Jund al-Khilafah in Tunisia", slug="jund-al-khilafah-in-tunisia")
    return survivor, loser


def test_merge_moves_claims_about_and_pointing_at_the_merged_entity(pair, reviewer):
    survivor, loser = pair
    founded = make_claim(entity=loser, property="inception", value_date="2014-09")
    attack = make_event()
    perpetrator = make_claim(event=attack, property="perpetrator", value_entity=loser)
    ally = make_claim(property="ally", value_entity=loser)
    entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group, two names")
    for claim in (founded, perpetrator, ally):
        claim.refresh_from_db()
    assert founded.entity == survivor
    assert perpetrator.value_entity == survivor and ally.value_entity == survivor
    assert not Claim.objects.filter(entity=loser).exists()
    assert not Claim.objects.filter(value_entity=loser).exists()
    loser.refresh_from_db()
    assert loser.merged_into == survivor
    assert loser not in Entity.objects.public()


def test_merge_keeps_the_names_as_aliases_with_their_citations(pair, reviewer):
    survivor, loser = pair
    native = make_claim(
        entity=loser, property="native_name", value_text="جند الخلافة في تونس", value_language="ar"
    )
    citation = native.citations.get()
    entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    native.refresh_from_db()
    assert native.entity == survivor and native.property.code == "alias"
    assert list(native.citations.all()) == [citation]


def test_label_carried_by_a_cited_name_claim_needs_no_new_alias(pair, reviewer):
    survivor, loser = pair
    name = make_claim(
        entity=loser, property="name", value_text="Jund al-Khilafah in Tunisia", value_language="en"
    )
    result = entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    assert result.alias is None
    aliases = Claim.objects.filter(entity=survivor, property__code="alias")
    assert list(aliases) == [name]


def test_uncited_label_is_kept_as_a_draft_alias_with_an_internal_note(pair, reviewer):
    survivor, loser = pair
    make_claim(
        entity=loser,
        property="name",
        value_text="Jund al-Khilafah in Tunisia",
        value_language="en",
        cite=False,
    )
    result = entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    alias = result.alias
    assert alias.entity == survivor and alias.property.code == "alias"
    assert alias.value_text == "Jund al-Khilafah in Tunisia"
    assert (
        alias.status == Claim.Status.DRAFT
        and not alias.note_is_public
        and "cite a source" in alias.note
    )
    assert alias not in Claim.objects.public()


def test_merge_is_recorded_in_history_with_the_reason_and_the_user(pair, reviewer):
    survivor, loser = pair
    claim = make_claim(entity=loser, property="leader")
    entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group, two names")
    for obj in (claim, loser):
        record = obj.history.order_by("-history_date", "-history_id").first()
        assert record.history_user == reviewer
        assert "Same group, two names" in record.history_change_reason
        assert record.change_set.kind == ChangeSet.Kind.MERGE
        assert record.change_set.user == reviewer
        assert record.change_set.reason == "Same group, two names"


def test_merged_entity_url_redirects_permanently_to_the_survivor(client, pair, reviewer):
    survivor, loser = pair
    entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    response = client.get(f"/entities/{loser.slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"/entities/{survivor.slug}/"


def test_merge_refuses_what_cannot_be_merged(pair, reviewer):
    survivor, loser = pair
    with pytest.raises(CurationError):
        entity_merge(source=loser, target=loser, user=reviewer, reason="oops")
    with pytest.raises(CurationError):
        entity_merge(source=loser, target=survivor, user=reviewer, reason=" ")
    entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    with pytest.raises(CurationError):
        entity_merge(source=loser, target=survivor, user=reviewer, reason="again")
    with pytest.raises(CurationError):
        entity_merge(source=make_entity(), target=loser, user=reviewer, reason="into a merged one")


def test_unmerge_puts_everything_back(client, pair, reviewer):
    survivor, loser = pair
    founded = make_claim(entity=loser, property="inception", value_date="2014-09")
    native = make_claim(
        entity=loser, property="native_name", value_text="جند الخلافة في تونس", value_language="ar"
    )
    ally = make_claim(property="ally", value_entity=loser)
    own = make_claim(entity=survivor, property="leader")
    result = entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    alias_pk = result.alias.pk

    undone = entity_unmerge(merged=loser, user=reviewer, reason="They are two groups after all")
    assert undone.restored == 3 and undone.removed == 1 and undone.kept == 0
    for claim in (founded, native, ally, own):
        claim.refresh_from_db()
    assert founded.entity == loser and ally.value_entity == loser and own.entity == survivor
    assert native.entity == loser and native.property.code == "native_name"
    assert not Claim.objects.filter(pk=alias_pk).exists()
    loser.refresh_from_db()
    assert loser.merged_into is None
    record = founded.history.order_by("-history_date", "-history_id").first()
    assert (
        "They are two groups after all" in record.history_change_reason
        and record.history_user == reviewer
    )
    assert client.get(f"/entities/{loser.slug}/").status_code == 200


def test_unmerge_leaves_claims_changed_since_the_merge(pair, reviewer):
    survivor, loser = pair
    claim = make_claim(entity=loser, property="leader")
    entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    elsewhere = make_entity()
    claim.refresh_from_db()
    claim.entity = elsewhere
    claim.save()
    assert entity_unmerge(merged=loser, user=reviewer, reason="Undo").kept == 1
    claim.refresh_from_db()
    assert claim.entity == elsewhere


def test_unmerge_keeps_the_label_alias_a_reviewer_has_published_with_its_citation(pair, reviewer):
    survivor, loser = pair
    alias = entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group").alias
    citation = make_citation(claim=alias, quote="Jund al-Khilafah in Tunisia claimed the attack")
    alias.value_language, alias.status = "en", Claim.Status.PUBLISHED
    alias._history_user, alias._change_reason = reviewer, "Cited and published"
    alias.save()

    undone = entity_unmerge(merged=loser, user=reviewer, reason="Two groups")

    assert undone.removed == 0 and undone.kept == 1
    alias.refresh_from_db()
    assert alias.status == Claim.Status.PUBLISHED and alias.value_language == "en"
    assert list(alias.citations.all()) == [citation]


@pytest.mark.parametrize("change", ["cited", "edited"])
def test_unmerge_keeps_the_label_alias_if_it_was_only_cited_or_only_edited(pair, reviewer, change):
    survivor, loser = pair
    alias = entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group").alias
    if change == "cited":
        make_citation(claim=alias)
    else:
        alias.note = "Used by the Ministry of Interior in 2015"
        alias.save()

    undone = entity_unmerge(merged=loser, user=reviewer, reason="Two groups")

    assert (undone.removed, undone.kept) == (0, 1)
    assert Claim.objects.filter(pk=alias.pk).exists()


def test_unmerge_of_an_entity_that_is_not_merged_is_refused(pair, reviewer):
    _, loser = pair
    with pytest.raises(CurationError):
        entity_unmerge(merged=loser, user=reviewer, reason="Undo")


def test_merge_again_after_an_undo_and_undo_again(pair, reviewer):
    survivor, loser = pair
    claim = make_claim(entity=loser, property="leader")
    for _ in range(2):
        entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
        entity_unmerge(merged=loser, user=reviewer, reason="Undo")
    claim.refresh_from_db()
    assert claim.entity == loser


def test_entities_merged_earlier_follow_the_merge_and_its_undo(client, pair, reviewer):
    survivor, loser = pair
    oldest = make_entity(label="JAK-T")
    entity_merge(
        source=oldest, target=loser, user=reviewer, reason="Abbreviation entered as a group"
    )
    entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    oldest.refresh_from_db()
    assert oldest.merged_into == survivor
    assert client.get(f"/entities/{oldest.slug}/")["Location"] == f"/entities/{survivor.slug}/"
    entity_unmerge(merged=loser, user=reviewer, reason="Undo")
    oldest.refresh_from_db()
    assert oldest.merged_into == loser


def test_an_entity_redirected_by_a_later_merge_does_not_undo_that_merge(pair, reviewer):
    survivor, loser = pair
    oldest = make_entity(label="JAK-T")
    oldest_claim = make_claim(entity=oldest, property="inception")
    loser_claim = make_claim(entity=loser, property="leader")
    entity_merge(source=oldest, target=loser, user=reviewer, reason="Abbreviation")
    entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    oldest.refresh_from_db()
    with pytest.raises(CurationError, match="undo the merge of “Jund al-Khilafah in Tunisia”"):
        entity_unmerge(merged=oldest, user=reviewer, reason="Undo the abbreviation")
    # Nothing was undone: both merges stand.
    assert Claim.objects.get(pk=loser_claim.pk).entity == survivor
    assert Claim.objects.get(pk=oldest_claim.pk).entity == survivor
    assert Entity.objects.get(pk=loser.pk).merged_into == survivor
    # Undone in order, each merge comes apart.
    entity_unmerge(merged=loser, user=reviewer, reason="Two groups")
    entity_unmerge(merged=oldest, user=reviewer, reason="Not an abbreviation")
    assert Claim.objects.get(pk=oldest_claim.pk).entity_id == oldest.pk
    assert Entity.objects.get(pk=oldest.pk).merged_into is None


# Through the admin


def test_reviewer_merges_through_the_admin_choosing_the_survivor(client, pair, reviewer):
    survivor, loser = pair
    claim = make_claim(entity=loser, property="leader")
    client.force_login(reviewer)
    page = post_action(client, "entity", "merge_entities", [survivor, loser])
    assert page.status_code == 200 and 'name="survivor"' in page.content.decode()
    response = post_action(
        client,
        "entity",
        "merge_entities",
        [survivor, loser],
        apply="yes",
        survivor=survivor.pk,
        reason="Same group",
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    loser.refresh_from_db()
    assert claim.entity == survivor and loser.merged_into == survivor


def test_reviewer_undoes_a_merge_through_the_admin(client, pair, reviewer):
    survivor, loser = pair
    entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    client.force_login(reviewer)
    assert post_action(client, "entity", "unmerge_entities", [loser]).status_code == 200
    post_action(client, "entity", "unmerge_entities", [loser], apply="yes", reason="Two groups")
    loser.refresh_from_db()
    assert loser.merged_into is None


def test_editors_cannot_merge_or_undo_a_merge(client, pair, editor, reviewer):
    survivor, loser = pair
    client.force_login(editor)
    changelist = client.get("/admin/entities/entity/").content.decode()
    assert "merge_entities" not in changelist and "unmerge_entities" not in changelist
    post_action(
        client,
        "entity",
        "merge_entities",
        [survivor, loser],
        apply="yes",
        survivor=survivor.pk,
        reason="x",
    )
    loser.refresh_from_db()
    assert loser.merged_into is None
    entity_merge(source=loser, target=survivor, user=reviewer, reason="Same group")
    post_action(client, "entity", "unmerge_entities", [loser], apply="yes", reason="x")
    loser.refresh_from_db()
    assert loser.merged_into == survivor


def test_likely_duplicate_links_to_the_list_where_they_are_merged(client, reviewer):
    first = make_entity(label="Kasserine", kind="place")
    second = make_entity(label="Qasrin", kind="place")
    make_claim(entity=second, property="alias", value_text="Kasserine", value_language="en")
    client.force_login(reviewer)
    queue = client.get("/admin/sources/claim/review/")
    [finding] = [
        f for f in queue.context["sections"][-1]["page"].object_list if f.code == "likely_duplicate"
    ]
    listed = client.get(finding.url)
    assert {entity.pk for entity in listed.context["cl"].result_list} == {first.pk, second.pk}
