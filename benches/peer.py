#!/usr/bin/env python3
"""lawdex beside the peer (Python + jieba + SQLite FTS5, ../shared/peers) in one run.

  python3 benches/peer.py relevance [--work DIR] [--judgments FILE[,FILE]]
  python3 benches/peer.py bulk [--work DIR] [--runs 3] [--scales 1,4,16] [--peer-scales 1]

relevance: corpus/real is indexed by lawdex (through a manifest made from SOURCES.tsv); the
  peer indexes the SAME clauses (exported from lawdex's index with `lawdex show --format json`)
  and, as a second row, the clauses of its own reference segmenter. Every query of
  tests/fixtures/relevance.toml runs through both CLIs (10 hits); nDCG@10 and recall@10 are
  computed here the same way for both (gain 2^grade - 1; a hit is relevant when its source ends
  with the judged file and its label is the judged label; a no-answer query is answered
  correctly by no hit at all).

bulk: the LawRefBook corpus (../shared/corpus/bulk) is unpacked; lawdex builds its index
  (parse + segment + index, /usr/bin/time -v for wall time and peak RSS), the peer runs
  segment_ref.py then fts5_peer.py index --jobs 2. Then index sizes, in-process query latency
  over peers/bulk-queries.txt (lawdex: cargo bench --bench search_latency; peer: fts5_peer.py
  bench; both 1 warm-up + 5 timed runs per query, k=10) and one-shot CLI latency (process start
  to printed answer, median of 11). --scales builds 4x and 16x copies of the corpus (distinct
  file names, lightly varied text) to show growth.

Needs: a release build (cargo build --release), jieba==0.42.1 for the peer, GNU time.
Measure while the machine is otherwise idle (uptime): the peer README shows how much a parallel
compile distorts both sides.
"""
import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LAWDEX_SHARED", ROOT.parent / "shared")).resolve()
PEERS = SHARED / "peers"
REAL = SHARED / "corpus" / "real"
BULK_ARCHIVE = SHARED / "corpus" / "bulk" / "lawrefbook-laws-2f4c5c2.tar.zst"
LAWDEX = Path(os.environ.get("LAWDEX_BIN", ROOT / "target" / "release" / "lawdex"))
PY = sys.executable


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def timed(cmd):
    """Runs under /usr/bin/time -v: (wall seconds, peak RSS MB, stdout)."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", *map(str, cmd)], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode not in (0, 1):
        sys.exit(f"failed ({p.returncode}): {' '.join(map(str, cmd))}\n{p.stderr[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return wall, (int(rss.group(1)) / 1024 if rss else float("nan")), p.stdout


def du(path):
    path = Path(path)
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# ------------------------------------------------------------------ relevance

def real_manifest(out):
    """A lawdex manifest for corpus/real from its SOURCES.tsv (metadata per file)."""
    lines = (REAL / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    col = {h: i for i, h in enumerate(head)}
    parts = []
    for line in lines[1:]:
        if not line.strip():
            continue
        f = line.split("\t")
        parts.append("[[source]]\n" + "".join(
            f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in [
                ("id", f[col["path"]].replace("/", ".")),
                ("path", str(REAL / f[col["path"]])),
                ("title", f[col["title"]]),
                ("jurisdiction", f[col["jurisdiction"]]),
                ("level", f[col["level"]]),
                ("language", f[col["language"]]),
            ]) + f"year = {int(f[col['year']])}\n")
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def export_clauses(data, report, out):
    """lawdex's clauses as the peer's JSONL ({doc, title, article, ordinal, chapter, text})."""
    n = 0
    with open(out, "w", encoding="utf-8") as w:
        for d in report["indexed"]:
            doc = json.loads(run([LAWDEX, "show", d["id"], "--format", "json",
                                  "--data-dir", data]).stdout)
            rel = os.path.relpath(doc["info"]["source"], REAL)
            for c in doc["clauses"]:
                text = (c.get("caption", "") + "\n" if c.get("caption") else "") + c["text"]
                w.write(json.dumps({"doc": rel, "title": doc["info"]["title"], "article": c["label"],
                                    "ordinal": c["ordinal"], "chapter": " / ".join(c["headings"]),
                                    "text": text}, ensure_ascii=False) + "\n")
                n += 1
    return n


def squash(s):
    return re.sub(r"\s+", "", s)


def grade(q, source, labels):
    g = 0
    for r in q.get("relevant", []):
        if source.endswith(r["file"]) and any(squash(l) == squash(r["label"]) for l in labels):
            g = max(g, r["grade"])
    return g


def dcg(grades):
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def score(judged, hits_of):
    """Mean nDCG@10 and recall@10 over answerable queries; share of no-answer queries with no hit."""
    nd, rc, n, empty, m, rows = 0.0, 0.0, 0, 0, 0, []
    for q in judged:
        hits = hits_of(q)  # [(source, [labels])]
        grades = [grade(q, s, ls) for s, ls in hits[:10]]
        rel = q.get("relevant", [])
        if not rel:
            m += 1
            empty += not hits
            rows.append((q["id"], None, None, len(hits)))
            continue
        ideal = sorted((r["grade"] for r in rel), reverse=True)[:10]
        x = dcg(grades) / dcg(ideal)
        y = sum(1 for g in grades if g) / len(rel)
        nd, rc, n = nd + x, rc + y, n + 1
        rows.append((q["id"], x, y, len(hits)))
    return {"ndcg10": nd / n, "recall10": rc / n, "empty_answers": f"{empty}/{m}", "rows": rows}


def cmd_relevance(a):
    work = Path(a.work or tempfile.mkdtemp(prefix="lawdex-peer-"))
    work.mkdir(parents=True, exist_ok=True)
    judged = []
    for f in a.judgments.split(","):
        judged += tomllib.loads((ROOT / f).read_text())["query"]
    data = work / "real-data"
    shutil.rmtree(data, ignore_errors=True)
    manifest = real_manifest(work / "real.toml")
    report = json.loads(subprocess.run([LAWDEX, "index", manifest, "--data-dir", data, "--format", "json"],
                                       capture_output=True, text=True).stdout)
    n = export_clauses(data, report, work / "lawdex-clauses.jsonl")
    run([PY, PEERS / "fts5_peer.py", "index", work / "lawdex-clauses.jsonl", work / "same.db"])
    run([PY, PEERS / "segment_ref.py", REAL, "-o", work / "ref.jsonl", "--quiet"])
    run([PY, PEERS / "fts5_peer.py", "index", work / "ref.jsonl", work / "ref.db"])

    def lawdex_hits(q):
        p = subprocess.run([LAWDEX, "search", q["q"], "--data-dir", data, "--format", "json",
                            "--limit", "10"], capture_output=True, text=True)
        if p.returncode == 2:
            sys.exit(p.stderr)
        hits = json.loads(p.stdout)["hits"] if p.stdout.strip() else []
        return [(h["source"], [h["clause_label"], h["label"]]) for h in hits]

    def peer_hits(db):
        def f(q):
            out = json.loads(run([PY, PEERS / "fts5_peer.py", "search", db, q["q"], "--json",
                                  "--k", "10"]).stdout)
            return [(h["doc"], [h["article"]]) for h in out["hits"]]
        return f

    rows = [("lawdex", score(judged, lawdex_hits)),
            ("peer on lawdex's clauses", score(judged, peer_hits(work / "same.db"))),
            ("peer on its own segmenter's clauses", score(judged, peer_hits(work / "ref.db")))]
    print(f"corpus/real: {report['documents']} documents, {n} clauses (lawdex); "
          f"{len(judged)} judged queries")
    print("| system | nDCG@10 | recall@10 | no-answer queries with no hit |")
    print("|---|---|---|---|")
    for name, s in rows:
        print(f"| {name} | {s['ndcg10']:.4f} | {s['recall10']:.4f} | {s['empty_answers']} |")
    if a.verbose:
        print("\n| query | lawdex nDCG | peer nDCG | lawdex recall | peer recall |")
        print("|---|---|---|---|---|")
        for (qid, x, y, h), (_, px, py, ph) in zip(rows[0][1]["rows"], rows[1][1]["rows"]):
            if x is None:
                print(f"| {qid} | {h} hits | {ph} hits | | |")
            else:
                print(f"| {qid} | {x:.3f} | {px:.3f} | {y:.3f} | {py:.3f} |")


# ------------------------------------------------------------------ bulk

def unpack(work):
    d = work / "bulk"
    if not (d / "LawRefBook-Laws").is_dir():
        d.mkdir(parents=True, exist_ok=True)
        run(["tar", "--zstd", "-xf", BULK_ARCHIVE, "-C", d])
    return d / "LawRefBook-Laws"


VARIANTS = [("应当", "应"), ("规定", "规则"), ("有关", "相关"), ("人民政府", "政府")]


def scaled(src, work, factor):
    """factor copies of the corpus: copy k has '-c{k}' file names, a marked title and a few words
    swapped, so ids, texts and term statistics differ from copy to copy."""
    if factor == 1:
        return src
    out = work / f"bulk-x{factor}"
    if out.is_dir():
        return out
    for k in range(factor):
        for f in src.rglob("*.md"):
            rel = f.relative_to(src)
            dst = out / f"c{k}" / rel.parent / f"{f.stem}-c{k}.md"
            dst.parent.mkdir(parents=True, exist_ok=True)
            text = f.read_text(encoding="utf-8")
            if k:
                text = re.sub(r"^# (.*)$", lambda m: f"# {m.group(1)}（副本{k}）", text, count=1,
                              flags=re.M)
                for i, (x, y) in enumerate(VARIANTS):
                    if k >> i & 1:
                        text = text.replace(x, y)
            dst.write_text(text, encoding="utf-8")
    return out


def one_shot(cmd, n=11):
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1000


def lawdex_latency(data):
    out = run(["cargo", "bench", "--quiet", "--bench", "search_latency", "--", data,
               PEERS / "bulk-queries.txt", "--n", "5"], cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def cmd_bulk(a):
    work = Path(a.work or tempfile.mkdtemp(prefix="lawdex-bulk-"))
    work.mkdir(parents=True, exist_ok=True)
    src = unpack(work)
    results = []
    for factor in [int(x) for x in a.scales.split(",")]:
        corpus = scaled(src, work, factor)
        size = sum(f.stat().st_size for f in corpus.rglob("*.md"))
        data = work / f"lawdex-x{factor}"
        builds = []
        for _ in range(a.runs):
            shutil.rmtree(data, ignore_errors=True)
            wall, rss, out = timed([LAWDEX, "index", corpus, "--data-dir", data])
            builds.append((wall, rss))
            summary = out.strip().splitlines()[0] if out.strip() else ""
        wall = statistics.median(b[0] for b in builds)
        rss = max(b[1] for b in builds)
        lat = lawdex_latency(data)
        cli = one_shot([LAWDEX, "search", "公共图书馆 免费", "--data-dir", data])
        row = {"system": "lawdex", "scale": factor, "corpus_mb": round(size / 1e6, 1),
               "build_s": round(wall, 2), "build_runs_s": [round(b[0], 2) for b in builds],
               "peak_rss_mb": round(rss), "index_mb": round(du(data / "index") / 1e6, 1),
               "p50_ms": lat["p50_ms"], "p95_ms": lat["p95_ms"], "p99_ms": lat["p99_ms"],
               "one_shot_cli_ms": round(cli, 1), "summary": summary,
               "relaxed_queries": lat["relaxed_queries"], "zero_hit_queries": lat["zero_hit_queries"]}
        print(json.dumps(row, ensure_ascii=False), flush=True)
        results.append(row)
        if factor not in [int(x) for x in a.peer_scales.split(",") if x]:
            continue
        seg_wall, seg_rss, _ = timed([PY, PEERS / "segment_ref.py", corpus, "-o", work / "peer.jsonl",
                                      "--quiet"])
        db = work / f"peer-x{factor}.db"
        if db.exists():
            db.unlink()
        idx_wall, idx_rss, _ = timed([PY, PEERS / "fts5_peer.py", "index", work / "peer.jsonl", db,
                                      "--jobs", "2"])
        bench = json.loads(run([PY, PEERS / "fts5_peer.py", "bench", db, PEERS / "bulk-queries.txt",
                                "--n", "5"]).stdout)
        cli = one_shot([PY, PEERS / "fts5_peer.py", "search", db, "公共图书馆 免费"], n=5)
        row = {"system": "peer", "scale": factor, "segment_s": round(seg_wall, 2),
               "index_s": round(idx_wall, 2), "build_s": round(seg_wall + idx_wall, 2),
               "peak_rss_mb": round(max(seg_rss, idx_rss)), "index_mb": round(du(db) / 1e6, 1),
               "p50_ms": bench["p50_ms"], "p95_ms": bench["p95_ms"], "p99_ms": bench["p99_ms"],
               "one_shot_cli_ms": round(cli, 1)}
        print(json.dumps(row, ensure_ascii=False), flush=True)
        results.append(row)
    (work / "results-search.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(f"written {work / 'results-search.json'}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("relevance")
    p.add_argument("--work")
    p.add_argument("-v", "--verbose", action="store_true", help="per-query table")
    p.add_argument("--judgments", default="tests/fixtures/relevance.toml",
                   help="judged query files, comma-separated, relative to the checkout "
                        "(the held-out split: tests/fixtures/relevance-heldout.toml)")
    p = sub.add_parser("bulk")
    p.add_argument("--work")
    p.add_argument("--runs", type=int, default=3, help="lawdex builds per scale (median)")
    p.add_argument("--scales", default="1", help="corpus copies, e.g. 1,4,16")
    p.add_argument("--peer-scales", default="1", help="scales at which the peer runs too")
    a = ap.parse_args()
    if not LAWDEX.exists():
        sys.exit(f"{LAWDEX} not found: cargo build --release first")
    {"relevance": cmd_relevance, "bulk": cmd_bulk}[a.cmd](a)


if __name__ == "__main__":
    main()
