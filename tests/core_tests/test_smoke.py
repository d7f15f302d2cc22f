from tests.conftest import make_claim


def test_claims_of_every_datatype_save(db):
    for code in ["inception", "leader", "member_count", "ideology", "name", "described_at_url", "concerns", "killed"]:
        claim = make_claim(property=code)
        assert claim.pk and claim.value is not None
