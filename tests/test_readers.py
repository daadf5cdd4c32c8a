"""Each digest variant and each quirk of real rows, on fixtures written for the tests."""

from pathlib import Path

import pytest
import re

from hypothesis import assume, given, settings, strategies as st

from kg import readers
from kg.readers.markdown import _header, parse_markdown, parse_title_cell, split_cells
from kg.records import DigestSeen, Record, Rejection

FIX = Path(__file__).parent / "fixtures"


def events(name):
    return list(readers.read_digest(str(FIX / name)))


def records(name):
    return {r.arxiv_id: r for r in events(name) if isinstance(r, Record)}


def rejections(name):
    return [r for r in events(name) if isinstance(r, Rejection)]


def test_six_column_rows_and_order_of_authors():
    recs = records("six.md")
    assert set(recs) == {"2502.01456", "2502.00001", "2502.00002", "2502.00003", "2502.00004"}
    prime = recs["2502.01456"]
    assert prime.date == "2025-02-04" and prime.format == "markdown"
    assert prime.authors == ("Wendi Li", "Zefan Wang", "Lifan Yuan", "hanbin", "ganqu")
    assert prime.topics == ("Reinforcement Learning", "Natural Language Processing", "Text Generation")
    assert ("github", "https://github.com/PRIME-RL/PRIME") in prime.links
    assert ("huggingface", "https://hf.co/datasets/PRIME-RL/Eurus-2-RL-Data") in prime.links


def test_six_column_rejects_bad_rows_with_line_and_reason():
    rej = rejections("six.md")
    assert [(r.line, r.reason) for r in rej] == [
        (14, "row has 3 cells, header has 6"),
        (15, "no arXiv or Hugging Face paper link in the title or link cell"),
    ]
    assert all(r.source.endswith("six.md") for r in rej)


def test_title_broken_over_lines_is_joined():
    assert records("six.md")["2502.00002"].title == "A Title Broken Over Two Lines"
    assert records("three.md")["2503.03601"].title == (
        "Feature-Level Insights into Artificial Text Detection with Sparse Autoencoders"
    )


def test_url_broken_over_lines_is_rejoined():
    assert ("github", "https://github.com/split/\nurl-repo") in records("six.md")["2502.00004"].links


def test_unescaped_pipe_goes_back_into_the_summary():
    rec = records("six.md")["2502.00002"]
    assert rec.summary == "The summary has a | pipe in it and <think> tags."
    assert rec.topics == ("Computer Vision", "Image Segmentation")


def test_mojibake_is_repaired_and_latex_kept():
    rec = records("six.md")["2502.00001"]
    assert "1.40× improvement" in rec.summary
    assert r"\(\beta\)" in rec.summary and "$5" in rec.summary


def test_empty_author_cell_and_brackets_in_title():
    rec = records("six.md")["2502.00003"]
    assert rec.authors == ()
    assert rec.title == "GPT-[n] and o-[n] Models"


def test_arxiv_version_is_dropped():
    assert "2502.01456" in records("six.md")


def test_three_column_read_more_on():
    recs = records("three.md")
    assert recs["2503.07605"].title == "SEAP: Training-free Sparse Expert Activation Pruning"
    assert recs["2503.07605"].authors == ("Xun Liang", "UglyToilet")


def test_three_column_older_dash_read_more_on():
    rec = records("three_old.md")["2409.03810"]
    assert rec.title == "How Do Your Code LLMs Perform?"
    assert rec.date == "2024-09-09"


def test_four_column_link_to_arxiv_and_to_hf_paper():
    recs = records("four.md")
    assert recs["2409.02889"].title == "LongLLaVA: Scaling Multi-modal LLMs"
    assert recs["2409.02634"].title == "Loopy: Audio-Driven Portrait Avatar"


def test_aggregate_sections_are_digests_and_intro_table_ignored():
    evs = events("aggregate/README.md")
    assert [e.date for e in evs if isinstance(e, DigestSeen)] == ["2025-01-03", "2025-01-02", "2025-01-01"]
    recs = [e for e in evs if isinstance(e, Record)]
    assert [(r.date, r.arxiv_id) for r in recs] == [
        ("2025-01-03", "2501.00003"),
        ("2025-01-01", "2501.00003"),
        ("2025-01-01", "2501.00001"),
    ]
    assert not [e for e in evs if isinstance(e, Rejection)]


def test_json_records_with_escapes_missing_keys_and_bad_records():
    evs = events("days/2024-10-01.json")
    recs = {r.arxiv_id: r for r in evs if isinstance(r, Record)}
    mm = recs["2409.20566"]
    assert mm.title == "MM1.5: Methods, Analysis & Insights"
    assert mm.summary == "- Bullet one.\n-  Bullet two with café."
    # github_repo repeats a github_urls entry: kept once
    assert mm.links.count(("github", "https://github.com/apple/ml-mm1")) == 1
    inf = recs["2410.18558"]
    assert inf.summary == "- Introduced a dataset.\n- Trained a model."  # broken JSON echo unwrapped
    assert ("github", "null") in inf.links and ("github", "None") in inf.links
    rej = [(r.line, r.reason) for r in evs if isinstance(r, Rejection)]
    assert rej == [(23, "record has no 'link'"), (30, "field 'authors' is int, expected a string or a list")]


def test_empty_json_day_and_empty_markdown_day_are_digests():
    assert events("days/2024-10-05.json") == [DigestSeen(str(FIX / "days/2024-10-05.json"), 1, "2024-10-05")]
    evs = events("days/empty-day.md")
    assert [type(e) for e in evs] == [DigestSeen] and evs[0].date == "2025-10-15"


def test_hf_api_keeps_hub_usernames():
    (rec,) = [e for e in events("hf_api.json") if isinstance(e, Record)]
    assert rec.format == "hf-daily-papers"
    assert rec.authors == ("Wendi Li", "Ganqu Cui", "Lifan Yuan")
    assert rec.hub_users == ("wendili", "ganqu", None)
    assert rec.date == "2025-02-04"  # the listing's date, not the paper's
    assert ("project", "https://prime-rl.github.io/") in rec.links


def test_truncated_json_keeps_the_records_before_the_break(tmp_path):
    text = (FIX / "days/2024-10-01.json").read_text()
    cut = tmp_path / "2024-10-01.json"
    cut.write_text(text[: text.index('"title": "No link here"')])
    evs = list(readers.read_digest(str(cut)))
    assert [r.arxiv_id for r in evs if isinstance(r, Record)] == ["2409.20566", "2410.18558"]
    (rej,) = [r for r in evs if isinstance(r, Rejection)]
    assert rej.line == 24 and rej.reason.startswith("invalid JSON")


def test_unknown_format_lists_the_known_ones(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("just some notes\n")
    (rej,) = readers.read_digest(str(p))
    assert rej.reason == "not a digest in any known format (known: hf-daily-papers, json-records, markdown)"


def test_sniffing_ignores_the_suffix(tmp_path):
    p = tmp_path / "2024-09-05.txt"
    p.write_bytes((FIX / "four.md").read_bytes())
    assert {r.arxiv_id for r in readers.read_digest(str(p)) if isinstance(r, Record)} == {"2409.02889", "2409.02634"}


def test_blank_lines_bom_and_crlf(tmp_path):
    p = tmp_path / "x.md"
    p.write_bytes(b"\xef\xbb\xbf\r\n\r\n" + (FIX / "three_old.md").read_bytes().replace(b"\n", b"\r\n"))
    assert [r.arxiv_id for r in readers.read_digest(str(p)) if isinstance(r, Record)] == ["2409.03810"]


def test_utf16_and_latin1_files(tmp_path):
    text = (FIX / "three_old.md").read_text().replace("mdizhang", "Jos\u00e9")
    for enc in ("utf-16", "latin-1"):
        p = tmp_path / f"x-{enc}.md"
        p.write_bytes(text.encode(enc))
        (rec,) = [r for r in readers.read_digest(str(p)) if isinstance(r, Record)]
        assert rec.authors[0] == "José"


def test_binary_file_is_rejected(tmp_path):
    p = tmp_path / "x.md"
    p.write_bytes(b"\x00\x01\x02PNG")
    (rej,) = readers.read_digest(str(p))
    assert rej.reason == "binary file, not a text digest"


def test_expand_inputs_dirs_globs_and_missing(fixtures):
    found = readers.expand_inputs([str(fixtures / "days")])
    assert [Path(p).name for p in found] == ["2024-10-01.json", "2024-10-05.json", "empty-day.md"]
    assert readers.expand_inputs([str(fixtures / "t*.md")]) == [str(fixtures / "three.md"), str(fixtures / "three_old.md")]
    with pytest.raises(Exception, match="no such file or directory"):
        readers.expand_inputs([str(fixtures / "missing.md")])


def test_parse_title_cell_variants():
    assert parse_title_cell("[A [b] c](https://arxiv.org/abs/1)") == ("A [b] c", "https://arxiv.org/abs/1")
    assert parse_title_cell("Plain title") == ("Plain title", None)


def test_split_cells_keeps_escaped_pipes():
    assert [c.strip() for c in split_cells(r"| a \| b | c |")] == ["a | b", "c"]


HEADER = "## Papers for 2025-01-01\n\n| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n|---|---|---|---|---|---|\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=0, max_size=9))
def test_any_row_in_no_crash_out(cells):
    text = HEADER + "| " + " | ".join(cells) + " |\n"
    evs = list(parse_markdown(text, "h.md"))
    assert all(e.line >= 5 for e in evs if isinstance(e, (Record, Rejection)))


_CELL = st.text(alphabet=st.characters(blacklist_characters="|\\\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELL, min_size=0, max_size=9))
def test_a_one_line_row_is_read_or_rejected_exactly_once(cells):
    # a row of dashes is a separator and a row naming Title and Authors is a header
    assume(not all(re.fullmatch(r"\s*:?-+:?\s*", c) for c in cells or [""]))
    assume(_header([c.strip() for c in cells]) is None)
    text = HEADER + "| " + " | ".join(cells) + " |\n"
    rows = [e for e in parse_markdown(text, "h.md") if isinstance(e, (Record, Rejection))]
    assert len(rows) == 1 and rows[0].line == 5
    if len(cells) != 6:
        assert isinstance(rows[0], Rejection)
