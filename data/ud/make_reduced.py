"""Make the reduced treebank files in this folder from the UD releases (see README.md).

Keeps, for every syntactic word, the columns ID, UPOS, HEAD and DEPREL (the others become
'_'), the '# newdoc id' comments, and drops multi-word token and empty-node
lines. Dev and test splits are concatenated (dev first).
Run: python data/ud/make_reduced.py /path/to/ud (the folder with the *.conllu releases).
"""

import sys
from pathlib import Path


def reduce(src: Path) -> list[str]:
    out = []
    for line in src.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc id"):
            out.append(line)
        elif not line.strip():
            out.append("")
        elif not line.startswith("#"):
            c = line.split("\t")
            if c[0].isdigit():
                out.append("\t".join([c[0], "_", "_", c[3], "_", "_", c[6], c[7], "_", "_"]))
    return out


if __name__ == "__main__":
    ud = Path(sys.argv[1])
    here = Path(__file__).parent
    for tb in ("en_ewt", "ja_gsd"):
        lines = reduce(ud / f"{tb}-ud-dev.conllu") + reduce(ud / f"{tb}-ud-test.conllu")
        (here / f"{tb}-upos.conllu").write_text("\n".join(lines) + "\n", encoding="utf-8")
