"""Grow benchmark corpora from the sample reports: recombined and varied, seeded.

Each generated report takes a metadata block, then for a series of guide questions one to three
paragraphs drawn from different source reports, with names, numbers and sentence order varied,
so that no two reports are copies (caches must not make copies free).

    python benchmarks/corpus.py --anecdotes 10000 --out benchmarks/out/corpus-10k

writes about 10,000 anecdotes' worth of ``.txt`` reports (the splitter decides the exact count).
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "data" / "sample", ROOT.parent / "shared" / "eval" / "dev" / "reports"]

FIRST = [
    "Anna",
    "Bram",
    "Chantal",
    "Daan",
    "Esra",
    "Femke",
    "Gert",
    "Hanna",
    "Imran",
    "Joost",
    "Karima",
    "Lars",
    "Mila",
    "Noor",
    "Olaf",
    "Petra",
    "Quinten",
    "Roos",
    "Sanne",
    "Tarik",
    "Ursula",
    "Vera",
    "Willem",
    "Yara",
    "Zeynep",
    "Bas",
    "Ilse",
    "Jesse",
    "Lotte",
    "Milan",
]
LAST = [
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "Yildiz",
    "El Amrani",
    "Kaya",
]
PLACES = ["Noord", "Zuid", "Oost", "West", "Centrum", "Haven", "Dorp", "Park", "Molen", "Kade"]
QUESTIONS = [
    "Hoe verloopt de samenwerking?",
    "Waar krijgen jullie energie van?",
    "Wat slurpt energie?",
    "Wat lijkt je lastig in het werk van de ander?",
    "Waar heb je bewondering voor?",
    "Wat zijn de doelen voor de komende drie maanden?",
    "Zijn de afspraken nagekomen?",
    "Hoe kan de samenwerking groeien?",
]
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NUMBER = re.compile(r"\b\d{1,3}\b")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“])")


def source_paragraphs() -> list[str]:
    """Prose paragraphs (not headings, metadata or bullets) of every source report."""
    paras: list[str] = []
    for folder in SOURCES:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.md")):
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if len(line) > 120 and not line.endswith("?") and ":" not in line[:25]:
                    paras.append(line)
    if not paras:
        raise SystemExit("no source reports found in " + ", ".join(map(str, SOURCES)))
    return paras


def vary(paragraph: str, rng: random.Random) -> str:
    """Rename people, change small numbers and sometimes reorder sentences."""
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        word = m.group(0)
        if word in QUESTIONS or rng.random() < 0.6:
            return word
        return names.setdefault(word, rng.choice(FIRST))

    text = _NAME.sub(rename, paragraph)
    text = _NUMBER.sub(lambda m: str(max(1, int(m.group(0)) + rng.randint(-3, 3))), text)
    sentences = _SENT.split(text)
    if len(sentences) > 2 and rng.random() < 0.3:
        head, tail = sentences[0], sentences[1:]
        rng.shuffle(tail)
        sentences = [head, *tail]
    return " ".join(sentences)


def make_report(n: int, paras: list[str], rng: random.Random) -> str:
    initiative = f"Initiatief {rng.choice(PLACES)} {n}"
    duo = f"{rng.choice(FIRST)} {rng.choice(LAST)} en {rng.choice(FIRST)} {rng.choice(LAST)}"
    lines = [
        f"Initiatief: {initiative}",
        f"Bezoek: {1 + n % 2}",
        f"Datum: {1 + n % 28} {rng.choice(['maart', 'juni', 'september'])} 2024",
        f"Onderzoeksduo: {duo}",
        "",
    ]
    for question in rng.sample(QUESTIONS, k=5):
        lines += [question, ""]
        for _ in range(rng.randint(1, 2)):
            lines += [vary(rng.choice(paras), rng), ""]
    return "\n".join(lines)


def generate(anecdotes: int, out: Path, seed: int = 0, per_report: int = 15) -> list[Path]:
    """Write about ``anecdotes`` anecdotes' worth of reports to ``out``; return the paths."""
    rng = random.Random(seed)
    paras = source_paragraphs()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(max(1, anecdotes // per_report)):
        path = out / f"verslag_{n:06d}.txt"
        path.write_text(make_report(n, paras, rng), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--anecdotes", type=int, default=1000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    paths = generate(args.anecdotes, args.out, args.seed)
    print(f"{len(paths)} reports written to {args.out}")


if __name__ == "__main__":
    main()
