"""Command line: ``corpus-tools ingest | info | kwic``.

Thin wrapper over :func:`corpus_tools.store.ingest` and :class:`Corpus`.
Exit codes: 0 success, 1 no result (kwic found nothing), 2 usage or input
error (argparse's convention), 130 interrupted.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

__all__ = ["main"]


def _columns_arg(value: str):
    """``vietnews`` (a preset) or ``text=content,title=headline``."""
    if "=" not in value:
        return value
    out = {}
    for item in value.split(","):
        k, sep, v = item.partition("=")
        if not sep or not k.strip() or not v.strip():
            raise argparse.ArgumentTypeError(f"bad column mapping {item!r}; use name=field")
        out[k.strip()] = v.strip()
    return out


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0: {value!r}")
    return n


def _parser() -> argparse.ArgumentParser:
    from . import __version__
    from .parallel import BACKENDS
    p = argparse.ArgumentParser(
        prog="corpus-tools",
        description="Vietnamese political-report corpora: ingest to a Parquet store, "
                    "inspect it, search it.")
    p.add_argument("--version", action="version", version=f"corpus-tools {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ing = sub.add_parser("ingest", help="load, clean, segment and store articles (incremental)",
                         description="Load, clean, segment and store articles. Re-running "
                                     "processes only new or changed inputs.")
    ing.add_argument("sources", nargs="+", metavar="SOURCE",
                     help="file, folder or glob (txt, jsonl[.gz], csv, html)")
    ing.add_argument("--out", "-o", required=True, metavar="DIR", help="store directory")
    ing.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                     help="worker processes (default: every core)")
    ing.add_argument("--backend", choices=BACKENDS, default="process")
    ing.add_argument("--scheduler", metavar="ADDR", default=None,
                     help="dask scheduler address (implies --backend dask)")
    ing.add_argument("--format", choices=("txt", "jsonl", "csv", "html"), default=None,
                     help="force the input format (default: from the extension)")
    ing.add_argument("--columns", type=_columns_arg, default=None, metavar="PRESET|k=v,...",
                     help="field mapping: a preset (vietnews, unc_dantri, baomoi) or "
                          "name=field pairs, e.g. text=content,published=date")
    ing.add_argument("--encoding", default=None, help="force an input encoding")
    ing.add_argument("--limit", type=_positive, default=None, metavar="N",
                     help="read only the first N records")
    ing.add_argument("--chunk-size", type=_positive, default=200, metavar="N",
                     help="articles per work unit / Parquet part (default 200)")
    ing.add_argument("--no-progress", action="store_true", help="no progress bars")

    info = sub.add_parser("info", help="summary of a store")
    info.add_argument("store", metavar="DIR")
    info.add_argument("--json", action="store_true", help="print JSON")

    kw = sub.add_parser("kwic", help="keyword in context")
    kw.add_argument("store", metavar="DIR")
    kw.add_argument("query", metavar="QUERY", help='word or phrase, e.g. "chuyển đổi số"')
    kw.add_argument("--window", type=_positive, default=8, metavar="N",
                    help="tokens of context on each side (default 8)")
    kw.add_argument("-n", "--n", dest="n", type=_positive, default=None, metavar="N",
                    help="show at most N hits")
    kw.add_argument("--case-sensitive", action="store_true")
    kw.add_argument("--csv", metavar="FILE", default=None,
                    help="also write all hits (with metadata) to FILE")
    return p


def _cmd_ingest(args) -> int:
    from .store import ingest
    load_kwargs = {}
    for name in ("format", "columns", "encoding", "limit"):
        v = getattr(args, name)
        if v is not None:
            load_kwargs[name] = v
    backend = "dask" if args.scheduler else args.backend
    if args.chunk_size < 1:
        raise ValueError("--chunk-size must be >= 1")
    res = ingest(args.sources if len(args.sources) > 1 else args.sources[0], args.out,
                 n_jobs=args.jobs, backend=backend, client=args.scheduler,
                 chunk_size=args.chunk_size, progress=not args.no_progress, **load_kwargs)
    print(res)
    return 0


def _cmd_info(args) -> int:
    from .store import open_corpus
    info = open_corpus(args.store).info()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
        return 0
    width = max(len(k) for k in info)
    for k, v in info.items():
        if isinstance(v, dict):
            v = ", ".join(f"{a} ({b})" for a, b in v.items()) or "-"
        print(f"{k:<{width}}  {v}")
    return 0


def _cmd_kwic(args) -> int:
    import pandas as pd
    from .store import open_corpus
    corpus = open_corpus(args.store)
    hits = corpus.kwic(args.query, match="word" if args.case_sensitive else "term",
                       window=args.window, case_sensitive=args.case_sensitive)
    if args.csv:
        hits.to_csv(args.csv, index=False)
    if hits.empty:
        print(f"no hits for {args.query!r}", file=sys.stderr)
        return 1
    shown = hits if args.n is None else hits.head(args.n)
    lw = min(60, int(shown["left"].str.len().max() or 0))
    for row in shown.itertuples(index=False):
        date = "" if pd.isna(getattr(row, "published", None)) else str(row.published.date())
        left = row.left[-lw:] if len(row.left) > lw else row.left
        print(f"{row.doc_id} {date:>10}  {left:>{lw}} [{row.keyword}] {row.right}")
    print(f"{len(shown)} of {len(hits)} hits", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``corpus-tools``; returns the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return int(exc.code or 0)
    commands = {"ingest": _cmd_ingest, "info": _cmd_info, "kwic": _cmd_kwic}
    try:
        return commands[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `corpus-tools kwic ... | head`: the reader left, not an error
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (FileNotFoundError, ValueError, OSError) as exc:
        print(f"corpus-tools {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
