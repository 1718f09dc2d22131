"""JSONL reading: errors name the file and line."""

import pytest

from autommlab.errors import DataError
from autommlab.jsonl import iter_json_objects


def test_reads_objects_with_line_numbers_and_names_bad_lines(tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_text('{"a": 1}\n\n{"a": 2}\n')
    assert list(iter_json_objects(f, "gold file")) == [(1, {"a": 1}), (3, {"a": 2})]
    with pytest.raises(DataError, match="nope.jsonl: gold file does not exist"):
        list(iter_json_objects(tmp_path / "nope.jsonl", "gold file"))
    f.write_text('{"a": 1}\n{oops\n')
    with pytest.raises(DataError, match=r"x.jsonl:2: not valid JSON"):
        list(iter_json_objects(f, "gold file"))
    f.write_text('[1, 2]\n')
    with pytest.raises(DataError, match=r"x.jsonl:1: expected a JSON object"):
        list(iter_json_objects(f, "gold file"))
