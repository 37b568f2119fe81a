"""Writes the tables of the ASCII scorer (ascii.rs) from the reference.

Reads them out of Python vaderSentiment 3.3.2 itself, as its analyzer holds
them after loading: the lexicon after `make_lex_dict` (later duplicates
already won), and the module's BOOSTER_DICT, SPECIAL_CASES and NEGATE.
Valences are written as Python's repr, which Rust parses back to the same
double; a special case keeps whether its value is a Python int, because
that changes how the reference's `sum` adds it.

    pip install vaderSentiment==3.3.2
    python3 src/core/sentiment/extract_tables.py

The lexicon is the MIT-licensed work of C.J. Hutto and E.E. Gilbert; its
notice is LICENSE-VADER beside this script.
"""

from importlib.metadata import version
from pathlib import Path

from vaderSentiment import vaderSentiment as vs

assert version("vaderSentiment") == "3.3.2", version("vaderSentiment")

HERE = Path(__file__).resolve().parent
lexicon = vs.SentimentIntensityAnalyzer().lexicon

with open(HERE / "lexicon.tsv", "w", encoding="utf-8", newline="\n") as out:
    out.write("# word<TAB>valence, from vaderSentiment 3.3.2 (extract_tables.py)\n")
    for word, valence in lexicon.items():
        assert "\t" not in word and "\n" not in word
        out.write(f"{word}\t{valence!r}\n")

with open(HERE / "rules.tsv", "w", encoding="utf-8", newline="\n") as out:
    out.write("# kind<TAB>key<TAB>value (none for negate), from vaderSentiment 3.3.2 (extract_tables.py)\n")
    for key, value in vs.BOOSTER_DICT.items():
        out.write(f"booster\t{key}\t{float(value)!r}\n")
    for key, value in vs.SPECIAL_CASES.items():
        kind = "special-int" if isinstance(value, int) else "special"
        out.write(f"{kind}\t{key}\t{float(value)!r}\n")
    for word in vs.NEGATE:
        out.write(f"negate\t{word}\n")
