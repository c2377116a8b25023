#!/usr/bin/env python3
"""Detection quality, measured with the real pipeline: every figure of the README's scores section.

    tools/evaluate.py --data DIR --tools DIR [--work target/evaluate]

--data holds lightor-train/, lightor-dev/ (labelled chat: 51 videos) and unlabeled-2019/; --tools
holds score-highlights.py (the scorer that comes with the data). EVAL_DATA and EVAL_TOOLS set them
too. None of the data is in this repository.

It runs `bin/stream-highlights backtest` for the 2018 rule (`--rule seed`), the variance rule (the
default until issue 15) and the excess rule (the default), scores every run with
score-highlights.py at 30 s and 60 s clips, and cross-validates the excess rule by video: in each
of 10 folds its threshold, warm-up, quiet threshold, peak and score weights are fitted
(tools/detector.py) on the other videos and the backtest runs the held-out videos with that model
(--detector-model). It reports
precision of each video's top 3 and top 6 highlights per hour by score, and what share of the
labelled moments of lightor-dev gets a clip with --clips-per-hour 3 and 6. Only predictions, models
and scores are written under --work; the labels and held-out chat it needs go to a temporary
directory, removed at the end.
"""
import argparse, collections, csv, json, os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import detector  # noqa: E402

SETS = ("lightor-train", "lightor-dev")
CLIPS = (30, 60)
FOLDS = 10
BUDGETS = (3, 6)


def chat_path(data, name):
    p = os.path.join(data, name, "chat.csv")
    return p if os.path.exists(p) else p + ".gz"


def backtest(chat, out, options):
    """Runs the real backtest; returns its highlights per hour of chat."""
    cmd = [os.path.join(ROOT, "bin/stream-highlights"), "backtest", "--chat", chat, "--out", out]
    res = subprocess.run(cmd + options, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("backtest failed: " + " ".join(cmd + options) + "\n" + res.stdout + res.stderr)
    m = re.search(r"\(([\d.]+) per hour\)", res.stdout)
    return float(m.group(1)) if m else float("nan")


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows, clip=None):
    with open(path, "w") as f:
        for r in rows:
            if clip is not None:
                r = dict(r, clipSeconds=clip)
            f.write(json.dumps(r) + "\n")


def score(scorer, labels_path, rows, work, tag, clip):
    """Precision, recall, F1 and count from score-highlights.py for these highlights."""
    path = os.path.join(work, f"{tag}-{clip}s.jsonl")
    write_jsonl(path, rows, clip)
    out = subprocess.run([sys.executable, scorer, "--labels", labels_path, "--predictions", path],
                         capture_output=True, text=True, check=True).stdout
    v = dict(kv.split("=") for kv in out.split() if "=" in kv)
    return float(v["precision"]), float(v["recall"]), float(v["f1"]), int(v["predictions"])


def hits(row, labels, clip):
    """The labels a clip of this highlight shows (score-highlights.py's rule)."""
    t = row["detectedAt"]
    return [k for k, (s, e) in enumerate(labels.get(row["channel"], []))
            if t - clip * 1000 <= e and s <= t + 5000]


def top_precision(rows, videos, labels, per_hour, clip, key):
    """Precision of each video's best max(1, round(per_hour x hours)) highlights by key, pooled."""
    by_video = collections.defaultdict(list)
    for r in rows:
        by_video[r["channel"]].append(r)
    hit = n = 0
    for v in videos:
        best = sorted(by_video.get(v.name, []), key=key, reverse=True)
        best = best[:max(1, round(per_hour * v.hours))]
        n += len(best)
        hit += sum(1 for r in best if hits(r, labels, clip))
    return hit / n if n else 0.0


def coverage(rows, videos, labels, clip):
    """Share of the labelled moments shown by a clip, precision of the clips, clips per hour."""
    clipped = [r for r in rows if r.get("clipStatus") != "over-budget"]
    shown = {(r["channel"], k) for r in clipped for k in hits(r, labels, clip)}
    n_labels = sum(len(labels.get(v.name, [])) for v in videos)
    good = sum(1 for r in clipped if hits(r, labels, clip))
    hours = sum(v.hours for v in videos)
    return (len(shown) / n_labels, good / len(clipped) if clipped else 0.0,
            len(clipped) / hours)


def seed_ratio(r):
    return r["derivative"] / r["movingAverage"] if r["movingAverage"] > 0 else float("inf")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.environ.get("EVAL_DATA"),
                    help="directory with lightor-train/, lightor-dev/, unlabeled-2019/")
    ap.add_argument("--tools", default=os.environ.get("EVAL_TOOLS"),
                    help="directory with score-highlights.py")
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "evaluate"))
    a = ap.parse_args()
    if not a.data or not a.tools:
        ap.error("give --data DIR and --tools DIR (or EVAL_DATA and EVAL_TOOLS)")
    os.makedirs(a.work, exist_ok=True)
    scorer = os.path.join(a.tools, "score-highlights.py")
    videos = detector.load_videos(a.data, SETS)
    dev = [v for v in videos if v.name in set(detector.read_labels(
        os.path.join(a.data, "lightor-dev", "labels.csv")))]
    labels = {v.name: v.labels for v in videos}
    tmp = tempfile.mkdtemp(prefix="evaluate-")  # labels and held-out chat: never under --work
    try:
        run(a, scorer, videos, dev, labels, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(a, scorer, videos, dev, labels, tmp):
    labels_path = os.path.join(tmp, "labels.csv")
    with open(labels_path, "w") as f:
        f.write("channel_or_video,start_epoch_millis,end_epoch_millis\n")
        for v in videos:
            for s, e in v.labels:
                f.write(f"{v.name},{s},{e}\n")
    unlabeled = os.path.join(a.data, "unlabeled-2019", "chat.csv")

    # The rules as shipped, on all 51 videos (the excess rule's model was fitted on them: in-sample).
    rules = [("seed", "2018 rule, `--rule seed`", ["--rule", "seed"]),
             ("variance", "variance rule (default until now), `--rule variance`",
              ["--rule", "variance"]),
             ("excess", "excess rule as shipped, in-sample", [])]
    runs, per_hour = {}, {}
    for tag, _, options in rules:
        rows = []
        for s in SETS:
            out = os.path.join(a.work, f"{tag}-{s}.jsonl")
            backtest(chat_path(a.data, s), out, options + ["--clips-per-hour", "0"])
            rows += read_jsonl(out)
        runs[tag] = rows
        per_hour[tag] = backtest(unlabeled, os.path.join(a.work, f"{tag}-unlabeled.jsonl"),
                                 options + ["--clips-per-hour", "0"])

    # The Java backtest against the Python replica that the fits use.
    shipped = read_shipped_model()
    replica = {(v.name, v.detected_at(i)) for v in videos
               for i in detector.fire(v, float(shipped["threshold"]), float(shipped["warmup"]),
                                      float(shipped["quiet-threshold"]), int(shipped["min-peak"]),
                                      quiet_level=float(shipped["quiet-level"]))}
    java = {(r["channel"], r["detectedAt"]) for r in runs["excess"]}
    print(f"Java backtest vs Python replica (shipped model): {len(java & replica)} shared, "
          f"{len(java - replica)} only in Java, {len(replica - java)} only in Python")
    if java != replica:
        sys.exit("the Python replica, which fits the models, no longer computes the job's rule")

    # Cross-validation by video: fit on nine tenths, backtest the held-out tenth.
    held = {b: [] for b in BUDGETS}
    chosen = collections.Counter()
    for k, test in enumerate(detector.folds(videos, FOLDS)):
        train = [v for v in videos if v not in test]
        fitted = detector.fit(train)
        chosen[(fitted["threshold"], fitted["warmup"], fitted["quiet-threshold"],
                fitted["min-peak"])] += 1
        model_path = os.path.join(a.work, f"model-fold{k}.properties")
        with open(model_path, "w") as f:
            f.write(detector.model_properties(fitted, f"fold {k} of {FOLDS}"))
        chat = os.path.join(tmp, f"fold{k}.csv")
        write_chat(a.data, {v.name for v in test}, chat)
        for b in BUDGETS:
            out = os.path.join(a.work, f"cv-fold{k}-budget{b}.jsonl")
            backtest(chat, out, ["--detector-model", model_path, "--clips-per-hour", str(b)])
            held[b] += read_jsonl(out)
    runs["held-out"] = held[BUDGETS[-1]]

    print("\n| rule | 30 s clips: precision / recall / **F1** | 60 s clips: precision / recall / "
          "**F1** | highlights | per hour (unlabeled-2019) |")
    print("|---|---|---|---|---|")
    f1s = {}
    for tag, name in [("seed", rules[0][1]), ("variance", rules[1][1]), ("excess", rules[2][1]),
                      ("held-out", "**excess rule, held out** (10-fold by video)")]:
        cells = []
        for clip in CLIPS:
            p, r, f, n = score(scorer, labels_path, runs[tag], a.work, tag, clip)
            f1s[(tag, clip)] = f
            cells.append(f"{p:.3f} / {r:.3f} / **{f:.3f}**")
        ph = f"{per_hour[tag]:.1f}" if tag in per_hour else "-"
        print(f"| {name} | {cells[0]} | {cells[1]} | {n} | {ph} |")
    print("\nheld-out excess rule minus the 2018 rule: "
          + ", ".join(f"{c} s clips {f1s[('held-out', c)] - f1s[('seed', c)]:+.3f}"
                      for c in CLIPS)
          + "; chosen (threshold, warm-up, quiet threshold, min peak) per fold: "
          + ", ".join(f"{t} {w} {q} {p} ({n}x)" for (t, w, q, p), n in chosen.most_common()))

    print("\n| score that ranks | top 3 per hour, 30 s / 60 s clips | top 6 per hour, 30 s / 60 s |")
    print("|---|---|---|")
    for name, rows, key in [
            ("2018 rule: derivative / moving average", runs["seed"], seed_ratio),
            ("variance rule: its score (noise units)", runs["variance"], lambda r: r["score"]),
            ("excess rule: probability (held out)", runs["held-out"], lambda r: r["score"])]:
        cells = []
        for per in (3, 6):
            cells.append(" / ".join(f"{top_precision(rows, videos, labels, per, c, key):.3f}"
                                    for c in CLIPS))
        print(f"| {name} | {cells[0]} | {cells[1]} |")

    print("\n| `--clips-per-hour` (lightor-dev, held out) | labelled moments with a clip, 30 s / 60 s"
          " | precision of the clips, 30 s / 60 s | clips per hour |")
    print("|---|---|---|---|")
    for b in BUDGETS:
        rows = [r for r in held[b] if r["channel"] in {v.name for v in dev}]
        c = [coverage(rows, dev, labels, clip) for clip in CLIPS]
        print(f"| {b} | {c[0][0]:.3f} / {c[1][0]:.3f} | {c[0][1]:.3f} / {c[1][1]:.3f} | "
              f"{c[1][2]:.1f} |")
    rows = [r for r in runs["held-out"] if r["channel"] in {v.name for v in dev}]
    allc = [coverage([dict(r, clipStatus="offline") for r in rows], dev, labels, clip)
            for clip in CLIPS]
    print(f"| no budget (`0`) | {allc[0][0]:.3f} / {allc[1][0]:.3f} | {allc[0][1]:.3f} / "
          f"{allc[1][1]:.3f} | {allc[1][2]:.1f} |")


def read_shipped_model():
    path = os.path.join(ROOT, "flink-job/src/main/resources/dev/streamhighlights/job/detect",
                        "detector-model.properties")
    model = {}
    with open(path) as f:
        for line in f:
            if "=" in line and not line.startswith("#"):
                k, v = line.strip().split("=", 1)
                model[k] = v
    return model


def write_chat(data, videos, path):
    """The held-out videos' chat rows, for one fold's backtest (a temporary file)."""
    with open(path, "w") as out:
        out.write("channel,epoch_millis\n")
        for s in SETS:
            with detector.opener(chat_path(data, s)) as f:
                for r in csv.DictReader(f):
                    if r["channel"] in videos:
                        out.write(f"{r['channel']},{r['epoch_millis']}\n")


if __name__ == "__main__":
    main()
