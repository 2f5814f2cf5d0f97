"""The file-share rule's message names each reason code with its count and its first rows."""

from __future__ import annotations

import pandas as pd
import pytest

from include.pipeline import ValidationFailed, check_file_shares
from include.policy import default_policy


def test_the_message_counts_each_code_and_names_its_first_five_rows():
    alasan = [""] * 80
    for i in (3, 10, 11, 12, 20, 30, 40):
        alasan[i] = "NIK_FORMAT"
    alasan[50] = "NAMA_KOSONG|NIK_FORMAT"
    alasan[60] = "WILAYAH_DI_LUAR"  # neither counted nor named: 8 of 79 rows
    frame = pd.DataFrame({"berkas": "kec_a.csv", "baris": range(2, 82), "alasan": alasan})

    with pytest.raises(ValidationFailed) as caught:
        check_file_shares(frame, "p3ke", default_policy(), [])

    assert str(caught.value) == (
        "p3ke/kec_a.csv: 10.1 % of rows quarantined (> 5 %): NAMA_KOSONG=1 (rows 52), "
        "NIK_FORMAT=8 (rows 5, 12, 13, 14, 22, ...); fix those rows or remove the file from the landing zone")
