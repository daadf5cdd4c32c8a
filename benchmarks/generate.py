"""Synthetic digests with the shapes of real ones, deterministic for a seed.

    python benchmarks/generate.py --papers 10000 --out /tmp/synthetic [--seed 0]

Writes one markdown file per day (the six-column table, ~15 papers a day; a third of the
titles broken over two lines, some junk link cells) and the JSON records of every other day,
from a Zipf-like author pool (1-5 authors a paper, ~3.4 on average), 1-5 topics drawn from the
real label set, a repository for about a third of the papers and Hugging Face artefacts for
some.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from kg.topics import CATEGORIES, TASKS  # noqa: E402

JUNK = ["null", "None", "string", "github.com/owner-x/no-scheme", "https:/github.com/typo/repo"]
WORDS = ("scaling efficient multimodal reasoning diffusion alignment retrieval agents benchmark tokens "
         "sparse attention video speech robust preference long-context distillation graph vision").split()


def generate(papers: int, out: Path, seed: int = 0, per_day: int = 15) -> list[Path]:
    rng = random.Random(seed)
    pool = max(200, papers * 3)
    cum = list(itertools.accumulate(1.0 / (i + 1) ** 1.05 for i in range(pool)))
    labels = sorted(TASKS) + list(CATEGORIES)
    day = datetime.date(2024, 1, 1)
    written = []
    for start in range(0, papers, per_day):
        rows, records = [], []
        for n in range(start, min(start + per_day, papers)):
            k = rng.choices([1, 2, 3, 4, 5], weights=[8, 16, 22, 24, 30])[0]
            authors = []
            while len(authors) < k:
                i = rng.choices(range(pool), cum_weights=cum)[0] if rng.random() < 0.6 else rng.randrange(pool)
                name = f"author{i}" if i % 3 == 0 else f"Author{i} Name{i % 97}"
                if name not in authors:
                    authors.append(name)
            words = rng.sample(WORDS, 6)
            title = " ".join(w.capitalize() for w in words)
            if rng.random() < 0.33:
                title = title.replace(" ", "\n  ", 1)
            topics = rng.sample(labels, rng.randint(1, 5))
            gh = f"https://github.com/org{n % 500}/repo{n}" if rng.random() < 0.33 else None
            hf = f"https://huggingface.co/org{n % 300}/model{n}" if rng.random() < 0.1 else None
            junk = rng.choice(JUNK) if rng.random() < 0.05 else None
            pid = f"{24 + n // 99999 % 10:02d}{1 + n // 9999 % 12:02d}.{n % 99999:05d}"
            summary = " ".join(rng.choice(WORDS) for _ in range(60))
            gh_cell = ", ".join(f"[Link]({u})" for u in (gh, junk) if u) or "N/A"
            hf_cell = f"[Link]({hf})" if hf else "N/A"
            rows.append(f"| [{title}](https://arxiv.org/abs/{pid}) | {', '.join(authors)} | {summary} | {topics!r} | {gh_cell} | {hf_cell} |")
            records.append({"title": title.replace("\n  ", " "), "authors": ", ".join(authors), "link": f"https://arxiv.org/abs/{pid}",
                            "github_repo": gh, "summary": summary.replace(" - ", "\n- "), "classification": topics,
                            "github_urls": [gh] if gh else [], "huggingface_urls": [hf] if hf else [], "date": day.isoformat()})
        folder = out / f"{day:%Y}" / f"{day:%m}"
        folder.mkdir(parents=True, exist_ok=True)
        md = folder / f"{day:%d}.md"
        md.write_text(f"## Papers for {day.isoformat()}\n\n| Title | Authors | Summary | Classification | GitHub URLs | HuggingFace URLs |\n"
                      "|-------|---------|---------|----------------|-------------|-----------------|\n" + "\n".join(rows) + "\n")
        written.append(md)
        if (start // per_day) % 2:
            js = folder / f"{day:%d}.json"
            js.write_text(json.dumps(records, indent=1))
            written.append(js)
        day += datetime.timedelta(days=1)
    return written


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, default=1000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    files = generate(args.papers, Path(args.out), args.seed)
    print(f"wrote {len(files)} files for {args.papers} papers into {args.out}")


if __name__ == "__main__":
    main()
