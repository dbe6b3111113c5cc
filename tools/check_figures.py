"""Compare the figures of a run with the published checksums (figures.sha256).

    python tools/check_figures.py --raw data/raw/seeds --figures figures   # `make run` ends with it
    python tools/check_figures.py --write --figures figures                 # `make figures-manifest`

On the bundled corpus every figure must come out byte for byte as published (the
environment is locked): the script says how many match and names any that differ
or are missing. On a corpus of your own the figures are yours, and it says so.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "figures.sha256"
BUNDLED = (ROOT / "data" / "raw" / "seeds").resolve()


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.suffix in (".png", ".svg")}


def read_manifest(path: Path = MANIFEST) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            out[name.strip()] = digest
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--figures", default=str(ROOT / "figures"))
    ap.add_argument("--raw", default=str(BUNDLED))
    ap.add_argument("--write", action="store_true", help="write figures.sha256 from --figures")
    args = ap.parse_args(argv)
    got = digests(Path(args.figures))
    if args.write:
        MANIFEST.write_text("# sha256 of the figures of `make run` on the bundled corpus\n"
                            + "".join(f"{d}  {n}\n" for n, d in got.items()), encoding="utf-8")
        print(f"wrote {MANIFEST.name}: {len(got)} figures")
        return 0
    if Path(args.raw).resolve() != BUNDLED:
        print(f"figures: {len(got)} written from your corpus ({args.raw}); "
              "figures.sha256 describes the bundled corpus only")
        return 0
    if not MANIFEST.exists():
        print("figures: no figures.sha256 to compare with (make figures-manifest writes it)")
        return 0
    want = read_manifest()
    same = [n for n in want if got.get(n) == want[n]]
    differ = [n for n in want if n in got and got[n] != want[n]]
    missing = [n for n in want if n not in got]
    extra = [n for n in got if n not in want]
    print(f"figures: {len(same)}/{len(want)} identical to the published ones (figures.sha256)")
    for label, names in (("differ", differ), ("missing", missing), ("not published", extra)):
        if names:
            print(f"  {label}: {', '.join(names)}")
    if differ and platform.machine() == "x86_64" and not os.environ.get("OPENBLAS_CORETYPE"):
        print("  (run through make: the Makefile pins the CPU kernels the published figures "
              "were made with; README, 'Pinned versions are not enough across machines')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
