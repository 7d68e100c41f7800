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
       "Ranges (W-codes share the hundreds of the E-codes of their area):",
       "",
       "- E00xx: lexing and parsing.",
       "- E01xx, W01xx: statements, names, types, imports.",
       "- E02xx, W02xx: the network model: addresses, routes, rules, DNAT, clusters and what AKS needs",
       "  (E0251-E0252: limits found by the facts audit; E0253-E0259 and W0213-W0219: gaps public designs showed;",
       "  E0260-E0262: Azure facts of issue 10; E0270-E0279 and",
       "  W0235-W0239: cluster features; E0280-E0292 and W0230-W0234: requirements, registries, custom DNS, API",
       "  Server VNet Integration).",
       "- E03xx: output (E0300-E0309), then IP groups and firewall policies (E0310-E0329, W0240-W0244), firewall",
       "  SKUs, management NIC and zones (E0330-E0339, W0245-W0249), NAT gateways (E0340-E0344, W0250-W0254), rule",
       "  sets (E0350-E0359, W0255-W0259), the constraint sweep (E0360-E0379, W0260-W0269).",
       "- E04xx, W03xx: resource groups (E0400-E0409, W0300-W0304), node pools (E0410-E0419, W0305-W0309), VNet",
       "  peering (E0420-E0429, W0310-W0314), environments and parameters (E0430-E0436, W0315), deployment of the",
       "  firewall across groups (E0437-E0449, W0316-W0319).",
       "",
       "Every check derived from Azure's or AKS's documentation names its source (page, section, date checked) in a",
       "**Source:** line or in its text; [azure-facts.md](azure-facts.md) lists every fact with its row.",
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
