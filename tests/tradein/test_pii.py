"""Personal identifiers: encrypted at rest, matched by keyed hash, masked on display."""

from liangxin.core import pii


def test_identity_is_masked_to_first_3_and_last_4():
    assert pii.mask_identity("110101199003071234") == "110***********1234"


def test_phone_is_masked_to_138_stars_5678():
    assert pii.mask_phone("13812345678") == "138****5678"
    assert pii.mask_phone("+86 138-1234-5678") == "138****5678"


def test_encryption_round_trips_and_hides_the_value():
    token = pii.encrypt("110101199003071234")
    assert "1101011990" not in token
    assert pii.decrypt(token) == "110101199003071234"


def test_the_hash_matches_the_same_person_however_typed():
    assert pii.identity_hash("11010119900307123x") == pii.identity_hash("１１０１０１１９９００３０７１２３Ｘ")
    assert pii.identity_hash("110101199003071234") != pii.identity_hash("110101199003071235")
    assert len(pii.identity_hash("110101199003071234")) == 64


def test_identity_and_phone_hashes_differ_for_the_same_digits():
    assert pii.identity_hash("13812345678") != pii.phone_hash("13812345678")
