import pytest
from hypothesis import given, settings, strategies as st

from kg.normalize import Junk, Link, arxiv_id, author_key, classify_url, clean_summary, fix_text


@pytest.mark.parametrize(
    "raw, kind, key, url",
    [
        ("https://github.com/PRIME-RL/PRIME", "repository", "repo/github/prime-rl/prime", "https://github.com/PRIME-RL/PRIME"),
        ("github.com/DAMO-NLP-SG/CMM", "repository", "repo/github/damo-nlp-sg/cmm", "https://github.com/DAMO-NLP-SG/CMM"),
        ("https:/github.com/a/b.git", "repository", "repo/github/a/b", "https://github.com/a/b"),
        ("http://github.com/openai/mle-bench/", "repository", "repo/github/openai/mle-bench", "https://github.com/openai/mle-bench"),
        ("https://github.com/LLaVA-VL/LLaVA-NeXT/tree/main/scripts/train", "repository", "repo/github/llava-vl/llava-next", "https://github.com/LLaVA-VL/LLaVA-NeXT"),
        ("https://github.com/just-owner", "agent", "github/just-owner", "https://github.com/just-owner"),
        ("https://github.com/orgs/SomeOrg/repositories", "agent", "github/someorg", "https://github.com/SomeOrg"),
        ("https://proj.github.io/site/", "page", "https://proj.github.io/site/", "https://proj.github.io/site/"),
        ("mssbench.github.io", "page", "https://mssbench.github.io", "https://mssbench.github.io"),
        ("https://hf.co/MBZUAI-Paris/Atlas-Chat-9B", "model", "hf/model/mbzuai-paris/atlas-chat-9b", "https://huggingface.co/MBZUAI-Paris/Atlas-Chat-9B"),
        ("https://hugface.co/spaces/team/demo", "space", "hf/space/team/demo", "https://huggingface.co/spaces/team/demo"),
        ("https://huggingface.co/datasets/allenai/multipref/tree/main", "dataset", "hf/dataset/allenai/multipref", "https://huggingface.co/datasets/allenai/multipref"),
        ("https://huggingface.co/collections/Skywork/skywork-reward-abc", "collection", "hf/collection/skywork/skywork-reward-abc", "https://huggingface.co/collections/Skywork/skywork-reward-abc"),
        ("huggingface.co/CIA-Suite", "agent", "hf/cia-suite", "https://huggingface.co/CIA-Suite"),
        ("https://huggingface.co/papers/2502.01456", "paper", "2502.01456", "https://huggingface.co/papers/2502.01456"),
        ("https://www.modelscope.com/models/swift/X", "page", "https://www.modelscope.com/models/swift/X", "https://www.modelscope.com/models/swift/X"),
        ("https://example.org/a\"b{c}^", "page", "https://example.org/a%22b%7Bc%7D%5E", "https://example.org/a%22b%7Bc%7D%5E"),
        ("https://github.com/split/\nurl-repo", "repository", "repo/github/split/url-repo", "https://github.com/split/url-repo"),
    ],
)
def test_classify_url(raw, kind, key, url):
    link = classify_url(raw)
    assert isinstance(link, Link)
    assert (link.kind, link.key, link.url) == (kind, key, url)


@pytest.mark.parametrize(
    "raw, kind",
    [("null", "placeholder"), ("None", "placeholder"), ("string", "placeholder"), ("", "placeholder"),
     ("mgor/protobowl-11-13", "not-a-url"), ("ftp://x.org/a", "not-a-url"), ("javascript:alert(1)", "not-a-url")],
)
def test_junk_values(raw, kind):
    assert classify_url(raw) == Junk(kind, raw)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80) | st.builds(lambda a, b, c: f"https://{a}/{b}/{c}",
                                         st.sampled_from(["github.com", "hf.co", "huggingface.co", "x.github.io", "ex.org"]),
                                         st.text(min_size=1, max_size=12), st.text(max_size=12)))
def test_classification_is_idempotent(raw):
    """Reading a graph back re-classifies kg:url values: that must give the same link."""
    link = classify_url(raw)
    if isinstance(link, Link):
        assert classify_url(link.url) == link


def test_author_key_merges_spellings():
    assert author_key("Franck-Dernoncourt") == author_key("Franck Dernoncourt") == "franckdernoncourt"
    assert author_key("Vernon Y. H. Toh") == "vernonyhtoh"
    assert author_key("Zoë Ärmel") == "zoearmel"


def test_arxiv_ids():
    assert arxiv_id("https://arxiv.org/pdf/2502.01456v3.pdf") == "2502.01456"
    assert arxiv_id("https://arxiv.org/abs/cs/0112017") == "cs/0112017"
    assert arxiv_id("https://example.org/2502.01456") is None


def test_text_repair():
    assert fix_text("1.40Ã— faster") == "1.40× faster"
    assert fix_text("“curly” ﬁ stays") == "“curly” ﬁ stays"
    assert clean_summary("{not json at all}") == "not json at all"
    assert clean_summary('{"summary": "inner"}') == "inner"
