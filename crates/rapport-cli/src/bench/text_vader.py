#!/usr/bin/env python3
# The Python peer of `rapport bench text`: vaderSentiment (3.3.2 from PyPI)
# on the same sentences and labelled sets as Rapport's analyser, in the same
# run. Embedded in the `rapport` binary, written to a temporary directory and
# run with $RAPPORT_PYTHON (or python3).
#
# Usage: text_vader.py INPUT.json
#   INPUT: {"seconds": S, "sentences": [text, ...],
#           "sets": [{"name": N, "items": [[text, positive], ...]}, ...]}
# Prints JSON on stdout:
#   {"version", "python", "sentences_per_second", "timed", "sets": {N: {"items", "correct"}}}
# Timing: three rounds of S/3 seconds each over the sentences, cycling, one
# thread; the best round's rate (the machine may be busy), as Rapport does.
# A text is positive when its compound score is >= 0.
# Exit code 3 when the vaderSentiment module cannot be imported.

import json
import platform
import sys
import time

try:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
except ImportError:
    sys.exit(3)

try:
    from importlib.metadata import version

    VERSION = version("vaderSentiment")
except Exception:  # noqa: BLE001 - the version is informative only
    VERSION = None

ROUNDS = 3
# Clock reads every this many sentences (as the Rust side).
CHECK_EVERY = 64


def throughput(analyzer, sentences, seconds):
    best, total = 0.0, 0
    budget = seconds / ROUNDS
    for _ in range(ROUNDS):
        n, i, checksum = 0, 0, 0.0
        start = time.perf_counter()
        while True:
            for _ in range(CHECK_EVERY):
                checksum += analyzer.polarity_scores(sentences[i])["compound"]
                i = (i + 1) % len(sentences)
            n += CHECK_EVERY
            elapsed = time.perf_counter() - start
            if elapsed >= budget:
                break
        total += n
        best = max(best, n / elapsed)
    return best, total


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    analyzer = SentimentIntensityAnalyzer()
    rate, timed = throughput(analyzer, spec["sentences"], float(spec["seconds"]))
    sets = {}
    for s in spec["sets"]:
        correct = sum(
            1 for text, positive in s["items"] if (analyzer.polarity_scores(text)["compound"] >= 0) == positive
        )
        sets[s["name"]] = {"items": len(s["items"]), "correct": correct}
    json.dump(
        {
            "version": VERSION,
            "python": platform.python_version(),
            "sentences_per_second": rate,
            "timed": timed,
            "sets": sets,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
