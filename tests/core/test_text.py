from hypothesis import given
from hypothesis import strategies as st

from xanh.core.text import fold, slugify_vi, strip_diacritics


def test_fold_ignores_case_diacritics_dashes_and_spaces():
    assert fold("Bắc  Giang") == fold("bac giang") == "bac giang"
    assert fold("Bà Rịa – Vũng Tàu") == fold("ba ria-vung tau")
    assert fold("ĐẮK LẮK") == "dak lak"


def test_slugify_vi():
    assert slugify_vi("Sở Tài nguyên và Môi trường") == "so-tai-nguyen-va-moi-truong"


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ "
    )
)
def test_folded_vietnamese_is_plain_ascii(text):
    assert fold(text).isascii()
    assert strip_diacritics(text).isascii()


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + "  -–"))
def test_the_folds_of_agencies_and_parser_agree_with_this_one(text):
    from xanh.agencies.matching import fold as agency_fold
    from xanh.documents.parsing.text import fold_text

    words = fold(text).replace("-", " ").split()
    assert agency_fold(text) == " ".join(w for w in words if w != "va")  # tokens only, "và" dropped
    assert fold_text(text) == strip_diacritics(text).lower()  # one character for one character
    assert len(fold_text(text)) == len(text)
