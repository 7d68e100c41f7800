#!/usr/bin/env bash
# Builds docs/diagnostics.md, the catalogue, from the parts in this folder, sorted by code.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
python3 - <<'PY'
import glob, re
sections = {}
for path in sorted(glob.glob("*.md")):
    text = open(path, encoding="utf-8").read()
    for block in re.split(r"(?m)^(?=## [EW]\d{4} )", text):
        m = re.match(r"## ([EW]\d{4}) ", block)
        if m:
            sections[m.group(1)] = block.rstrip() + "\n"
def key(code):
    return (int(code[1:]), code[0])
out = ["# Diagnostics catalogue\n",
       "Every error (`E`) and warning (`W`) egressc reports, by code. Codes are stable: a code is never reused",
       "or renumbered. Each is tested by `tests/diagnostics/<code>-<slug>.egress` (it fires) and",
       "`.ok.egress` (the corrected program passes). `--strict` turns warnings into errors.",
       "",
       "Ranges: E00xx syntax; E01xx statements, names and types; E02xx the network model; E03xx output.",
       "This file is assembled from `docs/diagnostics/*.md` by `docs/diagnostics/assemble.sh`.\n"]
out.append("| code | |\n| --- | --- |")
for code in sorted(sections, key=key):
    title = sections[code].splitlines()[0][3:]
    slug = title.split(" ", 1)[1] if " " in title else ""
    out.append(f"| [{code}](#{(code + '-' + slug).lower()}) | {slug} |")
out.append("")
for code in sorted(sections, key=key):
    out.append(sections[code])
open("../diagnostics.md", "w", encoding="utf-8").write("\n".join(out))
print(f"{len(sections)} codes")
PY
