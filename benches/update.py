#!/usr/bin/env python3
"""`lawdex update` over the bulk corpus served from 127.0.0.1 (issue 7's speed targets).

  cargo build --release && cargo build --release --example bench_site
  python3 benches/update.py [--work DIR] [--runs 3] [--server rust|python] [--http11]

The 3,504 laws of ../shared/corpus/bulk are unpacked and served by a local HTTP server behind
paginated listing pages (100 links a page, a `next` link), the way an official site lists its
regulations. The server is, by default, examples/bench_site.rs (`--server rust`): HTTP/1.1
keep-alive, ETag and Last-Modified, 304 on If-None-Match / If-Modified-Since, answering in
microseconds as nginx does. `--server python` serves the same folder with Python's
http.server (Last-Modified only; HTTP/1.0, or HTTP/1.1 keep-alive with --http11), the server
of the first measurements. A manifest with one `[[listing]]`, `delay = "0s"` (our own
mirror: no politeness delay) and `concurrency = 4`. Then:

  1. first update: every page fetched, every law parsed, segmented and indexed;
  2. no-change update: only conditional requests, nothing re-indexed (target: < 5% of 1);
  3. one law edited (one article's text, new mtime): that law alone re-fetched and re-indexed
     (target: < 1 s beyond the no-change update, which holds every fetch of run 3 but one).

Runs 2 and 3 are repeated --runs times (3 is re-edited each time); medians are reported with
the server's request counts per run. Needs a release build (cargo build --release).
"""
import argparse
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LAWDEX_SHARED", ROOT.parent / "shared")).resolve()
BULK_ARCHIVE = SHARED / "corpus" / "bulk" / "lawrefbook-laws-2f4c5c2.tar.zst"
LAWDEX = Path(os.environ.get("LAWDEX_BIN", ROOT / "target" / "release" / "lawdex"))
BENCH_SITE = Path(os.environ.get("BENCH_SITE_BIN", ROOT / "target" / "release" / "examples" / "bench_site"))
PER_PAGE = 100


class Counting(http.server.SimpleHTTPRequestHandler):
    counts = {"requests": 0, "200": 0, "304": 0, "conditional": 0}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def send_response(self, code, message=None):
        with self.lock:
            self.counts["requests"] += 1
            self.counts[str(code)] = self.counts.get(str(code), 0) + 1
            if self.headers.get("If-Modified-Since") or self.headers.get("If-None-Match"):
                self.counts["conditional"] += 1
        super().send_response(code, message)


def site(work: Path) -> Path:
    root = work / "site"
    laws = root / "laws"
    laws.mkdir(parents=True)
    subprocess.run(["tar", "--zstd", "-xf", str(BULK_ARCHIVE), "-C", str(work)], check=True)
    files = sorted(p for p in (work / "LawRefBook-Laws").rglob("*.md") if not p.name.startswith("_"))
    names = []
    for i, p in enumerate(files):
        name = f"{i:05d}.md"
        shutil.copy2(p, laws / name)
        names.append(name)
    pages = [names[i : i + PER_PAGE] for i in range(0, len(names), PER_PAGE)]
    for n, page in enumerate(pages):
        links = "\n".join(f'<li><a href="laws/{x}">{x}</a></li>' for x in page)
        nxt = f'<a class="next" href="index-{n + 1}.html">next</a>' if n + 1 < len(pages) else ""
        (root / f"index-{n}.html").write_text(
            f"<html><body><ul class=\"list\">{links}</ul>{nxt}</body></html>", encoding="utf-8"
        )
    return root


def manifest(work: Path, port: int) -> Path:
    m = work / "bulk-site.toml"
    m.write_text(
        f"""[crawl]
delay = "0s"
concurrency = 4
timeout = "30s"

[[listing]]
id = "bulk"
start = "http://127.0.0.1:{port}/index-0.html"
links = "ul.list a"
next = "a.next"
scope = "http://127.0.0.1:{port}/"
max_pages = 100
defaults = {{ jurisdiction = "CN", language = "zh-Hans" }}
""",
        encoding="utf-8",
    )
    return m


class RustSite:
    """examples/bench_site serving `root` on 127.0.0.1; stops when its stdin closes."""

    def __init__(self, root: Path):
        self.proc = subprocess.Popen([str(BENCH_SITE), str(root)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on "):
            sys.exit(f"bench_site did not start: {line!r}")
        self.port = int(line.rsplit(":", 1)[1])

    def counts(self) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_bench/counts") as r:
            return json.loads(r.read())

    def shutdown(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


class PythonSite:
    def __init__(self, root: Path, http11: bool):
        if http11:
            Counting.protocol_version = "HTTP/1.1"
            # http.server sends headers and body in separate writes: on a kept-alive
            # connection Nagle's algorithm then waits for a delayed ACK (40 ms) before each body.
            Counting.disable_nagle_algorithm = True
        handler = lambda *args, **kw: Counting(*args, directory=str(root), **kw)  # noqa: E731
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]

    def counts(self) -> dict:
        with Counting.lock:
            c = dict(Counting.counts)
            Counting.counts.update({"requests": 0, "200": 0, "304": 0, "conditional": 0})
        return c

    def shutdown(self):
        self.server.shutdown()


def update(data: Path, m: Path, server):
    server.counts()  # from zero
    t = time.perf_counter()
    p = subprocess.run(
        ["/usr/bin/time", "-v", str(LAWDEX), "update", "--data-dir", str(data), "--format", "json", str(m)],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t
    if p.returncode not in (0, 1):
        sys.exit(f"lawdex update failed ({p.returncode}):\n{p.stderr[-3000:]}")
    rss = next(
        (int(l.split()[-1]) / 1024 for l in p.stderr.splitlines() if "Maximum resident" in l), 0.0
    )
    # CPU seconds (user + system) of lawdex: what the run costs on our side, less sensitive
    # than wall time to other processes on a shared machine.
    cpu = sum(float(l.split()[-1]) for l in p.stderr.splitlines()
              if l.strip().startswith(("User time", "System time")))
    report = json.loads(p.stdout)
    return wall, rss, report, server.counts(), cpu


def edit_one(root: Path, k: int) -> None:
    law = root / "laws" / "00042.md"
    text = law.read_text(encoding="utf-8")
    law.write_text(text.replace("第二条", f"第二条 （基准测试第{k}次修改）", 1), encoding="utf-8")
    st = law.stat()
    os.utime(law, (st.st_atime, st.st_mtime + 10 * k))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--full-runs", type=int, default=1,
                    help="first updates, each into a fresh data dir (the median is reported)")
    ap.add_argument("--server", choices=["rust", "python"], default="rust",
                    help="rust: examples/bench_site (keep-alive, ETag, like nginx); "
                         "python: http.server")
    ap.add_argument("--http11", action="store_true",
                    help="with --server python: HTTP/1.1 with keep-alive, as production web "
                         "servers do (http.server's default is HTTP/1.0: a new connection "
                         "per request)")
    a = ap.parse_args()
    if not LAWDEX.exists():
        sys.exit(f"{LAWDEX} not found: cargo build --release first")
    if a.server == "rust" and not BENCH_SITE.exists():
        sys.exit(f"{BENCH_SITE} not found: cargo build --release --example bench_site first")
    work = Path(a.work or tempfile.mkdtemp(prefix="lawdex-update-bench-"))
    root = site(work)
    server = RustSite(root) if a.server == "rust" else PythonSite(root, a.http11)
    m = manifest(work, server.port)
    loads = [os.getloadavg()[0]]
    fulls = []
    for k in range(a.full_runs):
        data = work / f"data-{k}"
        fulls.append(update(data, m, server))
    first = sorted(fulls, key=lambda r: r[0])[len(fulls) // 2]
    nochange, changed = [], []
    for k in range(1, a.runs + 1):
        nochange.append(update(data, m, server))
        edit_one(root, k)
        changed.append(update(data, m, server))
        loads.append(os.getloadavg()[0])
    server.shutdown()
    name = ("examples/bench_site (HTTP/1.1 keep-alive, ETag)" if a.server == "rust"
            else f"python http.server ({Counting.protocol_version})")
    print(f"server: {name}; lawdex: {LAWDEX}; "
          f"machine: {os.cpu_count()} cores, load average (1 min) {min(loads):.2f}-{max(loads):.2f}; "
          f"laws served: {first[2].get('documents')} documents, {first[2].get('clauses')} clauses indexed")
    print("| run | wall s (median) | lawdex CPU s (median) | peak RSS MB | requests | 200 | 304 | conditional | new | changed | unchanged |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

    def row(name, runs):
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[4] for r in runs)
        rss = max(r[1] for r in runs)
        last = runs[-1]
        rep, c = last[2], last[3]
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {c['requests']} | {c.get('200', 0)} | {c.get('304', 0)} "
              f"| {c['conditional']} | {rep.get('new')} | {rep.get('changed')} | {rep.get('unchanged')} |")
        return wall, cpu

    (full, full_cpu), (same, same_cpu), (one, _) = ( row("first update (full)", fulls),
                                                    row("no-change update", nochange),
                                                    row("one law edited", changed))
    print("\nlawdex CPU s of each run: full " + ", ".join(f"{r[4]:.2f}" for r in fulls) + "; no-change "
          + ", ".join(f"{r[4]:.2f}" for r in nochange) + "; one edited "
          + ", ".join(f"{r[4]:.2f}" for r in changed))
    print("wall s of each run: full " + ", ".join(f"{r[0]:.2f}" for r in fulls) + "; no-change "
          + ", ".join(f"{r[0]:.2f}" for r in nochange) + "; one edited "
          + ", ".join(f"{r[0]:.2f}" for r in changed))
    print(f"no-change / full = {same / full:.3f} wall, {same_cpu / full_cpu:.3f} lawdex CPU (target < 0.05); "
          f"one edited - no-change = {one - same:.3f} s (target < 1 s)")


if __name__ == "__main__":
    main()
