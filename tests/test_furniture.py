"""Furniture learnt by repetition (corpus_tools.furniture), on sites built here."""
from __future__ import annotations

import functools
import json
import pickle
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from corpus_tools import load_articles, load_with_report
from corpus_tools.clean import clean_text
from corpus_tools.furniture import Furniture, find_furniture

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "raw" / "seeds"

#: chrome of a site no rule knows, written for these tests
NOTICE = ("Bạn đã lưu bài viết thành công, xem lại bài viết trong mục Tin đã lưu "
          "của tài khoản")  # 17 words
CREDIT = "Nguồn Cổng TTĐT tỉnh"
WIDGET = "Lưu bài viết Chia sẻ Facebook Zalo"


@functools.lru_cache(maxsize=1)
def _sentences() -> tuple[str, ...]:
    """Sentences of the bundled seeds' clean bodies (as the loader extracts them,
    checked against gold.json elsewhere): the text of the synthetic sites."""
    df = load_articles(SEEDS, progress=False)
    out = []
    for paras in df["paragraphs"]:
        for line in paras:
            out += [s for s in re.split(r"(?<=[.!?])\s+", line.strip()) if len(s.split()) > 5 and s[-1] in ".!?"]
    return tuple(out)


def _site(n: int, seed: int = 0) -> list[tuple[str, list[str]]]:
    """``n`` articles: a title and 2-3 paragraphs of seed sentences each."""
    rng = random.Random(seed)
    sents = list(_sentences())
    # titles: openings of sentences that do not read as a dateline or a quotation
    titles = [x for x in sents if not re.match(r"(?:Sáng|Trưa|Chiều|Tối|Đêm|Ngày|Hôm|Theo)\b|[\d“\"(]", x)]
    docs = []
    for i in range(n):
        paras = [" ".join(rng.sample(sents, rng.randint(1, 3))) for _ in range(rng.randint(2, 3))]
        title = " ".join(rng.choice(titles).split()[:8]).rstrip(",;:")
        docs.append((title, paras))
    return docs


def _write_folder(folder: Path, docs) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, (title, paras) in enumerate(docs):
        (folder / f"{i:03d}.txt").write_text(
            f"{title}\n\n09/05/2026 08:{i % 60:02d}\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    return folder


def _body(df) -> list[str]:
    return ["\n".join(p) for p in df["paragraphs"]]


def _clean(text: str) -> str:
    return "\n".join(clean_text(ln) for ln in text.split("\n"))


def test_glued_notice_and_credit_of_an_unseen_site_are_removed(tmp_path):
    """As on the real unseen site: a 17-word notice glued to the first sentence (no
    dash, bar or break) and a credit glued to the last, in every article."""
    docs = _site(40)
    dirty = [(t, [NOTICE + p[0]] + p[1:-1] + [p[-1] + CREDIT]) for t, p in docs]
    df, report = load_with_report(_write_folder(tmp_path / "site", dirty), progress=False)
    assert len(df) == 40
    for text, (_, paras) in zip(_body(df), docs):
        assert NOTICE not in text and CREDIT not in text
        assert text == _clean("\n".join(paras))  # every sentence kept, nothing else lost
    learnt = report["sources"][str(tmp_path / "site")]["furniture"]
    assert learnt["prefixes"] == [NOTICE.casefold()]
    assert learnt["suffixes"] == [CREDIT.casefold()]
    first = df["removed"].iloc[0]
    assert {"line": 5, "text": NOTICE, "reason": "furniture-prefix"} in first
    assert any(r["reason"] == "furniture-suffix" and r["text"] == CREDIT for r in first)


def test_one_line_export_loses_edges_and_inline_widget(tmp_path):
    """Flattened pages (one line per article, in a JSONL export): a leading notice
    with a view counter that differs per article, a widget between two sentences."""
    rng = random.Random(1)
    docs = _site(40, seed=1)
    path = tmp_path / "export.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i, (title, paras) in enumerate(docs):
            sents = re.split(r"(?<=[.!?…])\s+", " ".join(paras))
            k = rng.randrange(1, len(sents))
            text = " ".join([f"Lượt xem: {rng.randint(10, 9999)}"] + sents[:k] + [WIDGET] + sents[k:])
            fh.write(json.dumps({"id": i, "title": title, "text": text}, ensure_ascii=False) + "\n")
    df, report = load_with_report(path, progress=False)
    learnt = report["sources"][str(path)]["furniture"]
    assert learnt["inline"] == [WIDGET.casefold()]
    for text, (_, paras) in zip(_body(df), docs):
        assert WIDGET not in text and "Lượt xem" not in text
        assert text == _clean(" ".join(paras))


def test_real_text_is_guarded(tmp_path):
    """Datelines, the opening of syndicated copies, a formula that opens titles and
    runs in the text, and a series heading are not furniture."""
    docs = _site(40, seed=2)
    story = docs[0][1]
    out = []
    for i, (title, paras) in enumerate(docs):
        if i % 3 == 0:  # "Sáng 9/5, ..." opens a third of the articles
            paras = [f"Sáng {1 + i % 28}/{1 + i % 12}, " + paras[0][0].lower() + paras[0][1:]] + paras[1:]
        if i < 6:  # one story re-run six times, its ending edited
            paras = story[:-1] + [story[-1] + f" Bản tin số {i}."]
        if i % 4 == 1:
            title = f"Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ {10 + i}"
            paras = paras + [f"Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ {10 + i} đã thành công tốt đẹp."]
        if i % 10 == 2:
            paras = [f"Xây dựng Đảng trong tình hình mới - Bài {i // 10 + 1}"] + paras
        out.append((title, paras))
    df, report = load_with_report(_write_folder(tmp_path / "s", out), progress=False, dedupe="none")
    learnt = report["sources"][str(tmp_path / "s")]["furniture"]
    assert learnt["prefixes"] == [] and learnt["suffixes"] == [] and learnt["inline"] == []
    assert not any(k.startswith("xây dựng đảng") for k in learnt["lines"])
    for text, (_, paras) in zip(_body(df), out):
        assert text == _clean("\n".join(paras))


def test_fragments_of_one_site_only(tmp_path):
    """A notice in some articles only (70%), the rest clean: removed where it is,
    and nothing is cut from the others."""
    rng = random.Random(3)
    docs = _site(40, seed=3)
    dirty = [(t, [NOTICE + " " + p[0]] + p[1:]) if rng.random() < 0.7 else (t, p) for t, p in docs]
    df, _ = load_with_report(_write_folder(tmp_path / "s", dirty), progress=False)
    assert _body(df) == [_clean("\n".join(p)) for _, p in docs]


def test_find_furniture_unseen_site(fixtures_dir):
    docs = [p.read_text(encoding="utf-8").splitlines()
            for p in sorted((fixtures_dir / "clean" / "unseen_site").glob("*.txt"))]
    fur = find_furniture(docs)
    assert fur.is_line("Báo Sông Hồng Online")
    assert fur.is_line("Theo dõi Sông Hồng Online trên Zalo")
    assert fur.is_line("Lượt xem: 99999")  # digits masked in short lines
    assert not fur.is_line(docs[0][7])  # body paragraphs are not furniture
    assert not fur.is_line(docs[0][3])  # nor titles
    assert fur.prefixes == ("sho",)
    pre, rest, suf = fur.split("SHO - Sáng 3/2, Ban Chấp hành họp.")
    assert (pre, rest, suf) == ("SHO - ", "Sáng 3/2, Ban Chấp hành họp.", "")
    # too few documents: nothing is furniture
    assert not find_furniture(docs[:2])
    with pytest.raises(ValueError):
        find_furniture(docs, min_docs=0)


def test_find_furniture_suffix_after_a_shared_ending():
    openings = ["Hội nghị tổng kết công tác năm", "Đại hội Đoàn thanh niên nhiệm kỳ", "Lễ kỷ niệm ngày thành lập",
                "Buổi gặp mặt cán bộ hưu trí", "Cuộc thi tìm hiểu lịch sử Đảng bộ"]
    docs = [[f"{o} {2000 + k} diễn ra thành công tốt đẹp. Theo TTXVN"] for k, o in enumerate(openings)] \
        + [["Một bài khác không có đuôi."]]
    fur = find_furniture(docs)
    assert fur.suffixes == ("theo ttxvn",)  # the credit, not the shared sentence before it
    pre, rest, suf = fur.split(docs[0][0])
    assert rest.endswith("thành công tốt đẹp.") and suf.strip() == "Theo TTXVN"
    assert Furniture().split("abc") == ("", "abc", "")
    # process pools ship it to workers
    assert pickle.loads(pickle.dumps(fur)).split(docs[0][0]) == (pre, rest, suf)


def test_glued_words_are_cut_at_the_case_change():
    fur = Furniture(prefixes=("lưu bài viết",), suffixes=("theo ttxvn",))
    assert fur.split("Lưu bài viếtSáng 9/5, hội nghị.") == ("Lưu bài viết", "Sáng 9/5, hội nghị.", "")
    assert fur.split("Hội nghị kết thúc.Theo TTXVN")[2] == "Theo TTXVN"
    assert fur.split("Lưu bài viếtnày") == ("", "Lưu bài viếtnày", "")  # inside a word: kept


PROMO = "Nhà cái uy tín hàng đầu châu Á tặng ngay 100% tiền nạp đầu tiên cho thành viên mới đăng ký hôm nay."


def test_a_credit_written_twice_a_stack_a_rare_promo_and_inline_credits(tmp_path):
    """The shapes of a real site: every article ends with its credit written twice and
    glued (``Nguồn: [Link nguồn]Nguồn: [Link nguồn]``), opens with a delimited label
    and, in 60%, a glued notice stacked behind it; a promo sits between sentences in
    an eighth of the articles; photo credits in parentheses. None of it stays."""
    rng = random.Random(3)
    docs = []
    for i, (title, paras) in enumerate(_site(160, seed=3)):
        paras = list(paras)
        paras[-1] += "Nguồn: [Link nguồn]Nguồn: [Link nguồn]"
        paras[0] = "BÁO TỈNH - " + (NOTICE + " " if rng.random() < 0.6 else "") + paras[0]
        if i % 8 == 0:
            sents = re.split(r"(?<=[.!?])\s+", paras[0])
            paras[0] = " ".join(sents[:1] + [PROMO] + sents[1:])
        if i % 3 == 0:
            paras[-1] = paras[-1].replace(".", " (Ảnh: Forbes).", 1)
        docs.append((title, paras))
    df = load_articles(_write_folder(tmp_path / "site", docs), progress=False)
    text = "\n".join(_body(df))
    for chrome in ("Link nguồn", "Nguồn:", "BÁO TỈNH", NOTICE[:30], PROMO[:30], "Ảnh: Forbes"):
        assert chrome not in text, chrome
    reasons = Counter(r["reason"] for rm in df["removed"] for r in rm)
    assert reasons["credit"] == len(range(0, 160, 3)) and reasons["furniture-inline"] == 20
    # and nothing else went: every seed sentence of every article is still there
    kept = " ".join(text.split())
    for _, paras in _site(160, seed=3):
        for s in re.split(r"(?<=[.!?])\s+", " ".join(paras)):
            assert _clean(s)[:40] in _clean(kept), s
