#!/usr/bin/env python3
"""Detection quality, measured with the real pipeline: runs `bin/stream-highlights backtest` for a
set of rule settings on the labelled chat (lightor-train) and the unlabelled chat (unlabeled-2019),
scores every run with score-highlights.py, cross-validates the choice of the two main parameters
leaving one video out, and reports how early or late highlights fire against the labels.

    tools/evaluate.py --data DIR --tools DIR [--work target/evaluate]

--data is the directory holding lightor-train/ and unlabeled-2019/ (the LighTor labelled chat, not in
this repository), --tools the one holding score-highlights.py; EVAL_DATA and EVAL_TOOLS set them too.

The data stay where they are; only predictions and scores are written, under --work.
"""
import argparse, collections, csv, json, os, re, statistics, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Each idea on its own: the default with one thing changed.
VARIANTS = [
    ("seed rule (2018), 30 s clips", ["--rule", "seed", "--clip-seconds", "30"]),
    ("default rule, 30 s clips", ["--clip-seconds", "30"]),
    ("default rule, 45 s clips", ["--clip-seconds", "45"]),
    ("default rule (60 s clips)", []),
    ("threshold 1.0", ["--threshold", "1.0"]),
    ("threshold 2.0", ["--threshold", "2.0"]),
    ("history 6 windows (60 s)", ["--history-windows", "6"]),
    ("history 18 windows (3 min)", ["--history-windows", "18"]),
    ("min count 3", ["--min-count", "3"]),
    ("min count 8", ["--min-count", "8"]),
    ("CEP: 2 surge windows within 30 s", ["--confirm-surges", "2"]),
    ("cooldown 0 s", ["--cooldown", "0s"]),
    ("cooldown 60 s", ["--cooldown", "60s"]),
]
# The grid the cross-validation chooses from (threshold x history), at the default clip length.
GRID = [(t, h) for t in ("1.0", "1.25", "1.5", "1.75", "2.0", "2.5") for h in ("6", "10", "18")]


def backtest(chat, out, options):
    cmd = [os.path.join(ROOT, "bin/stream-highlights"), "backtest", "--chat", chat, "--out", out]
    res = subprocess.run(cmd + options, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit("backtest failed: " + " ".join(cmd + options) + "\n" + res.stdout + res.stderr)
    m = re.search(r"\(([\d.]+) per hour\)", res.stdout)
    return float(m.group(1)) if m else float("nan")


def load_predictions(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def load_labels(path):
    labels = collections.defaultdict(list)
    with open(path) as f:
        for r in csv.DictReader(f):
            s, e = int(r["start_epoch_millis"]), int(r["end_epoch_millis"])
            labels[r["channel_or_video"]].append((s, e))
    return labels


def score(scorer, labels_path, predictions_path):
    out = subprocess.run(
        [sys.executable, scorer, "--labels", labels_path, "--predictions", predictions_path],
        capture_output=True, text=True, check=True).stdout
    v = dict(kv.split("=") for kv in out.split() if "=" in kv)
    n_pred, n_lab = int(v["predictions"]), int(v["labels"])
    p, r = float(v["precision"]), float(v["recall"])
    return {"pred": n_pred, "lab": n_lab, "hit_pred": round(p * n_pred), "hit_lab": round(r * n_lab)}


def prf(c):
    p = c["hit_pred"] / c["pred"] if c["pred"] else 0.0
    r = c["hit_lab"] / c["lab"] if c["lab"] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def add(a, b):
    return {k: a.get(k, 0) + b[k] for k in b}


def per_video(scorer, work, labels, predictions_path, tag):
    """Scores of one prediction file per video, with the official scorer on one video at a time."""
    preds = load_predictions(predictions_path)
    result = {}
    for video, intervals in labels.items():
        lp = os.path.join(work, "labels-one.csv")
        with open(lp, "w") as f:
            f.write("channel_or_video,start_epoch_millis,end_epoch_millis\n")
            for s, e in intervals:
                f.write(f"{video},{s},{e}\n")
        pp = os.path.join(work, f"pred-one-{tag}.jsonl")
        with open(pp, "w") as f:
            for p in preds:
                if p["channel"] == video:
                    f.write(json.dumps(p) + "\n")
        result[video] = score(scorer, lp, pp)
    return result


def timing(labels, predictions_path):
    """For each prediction that hits a label: detectedAt - label start; and whether the clip holds
    the label's start."""
    deltas, holds_start, hits = [], 0, 0
    for p in load_predictions(predictions_path):
        d, clip = p["detectedAt"], min(p.get("clipSeconds", 30), 60) * 1000
        best = None
        for s, e in labels.get(p["channel"], []):
            if s == e:
                s, e = s - 30000, e + 30000
            if d - clip <= e and s <= d + 5000 and (best is None or abs(d - s) < abs(d - best)):
                best = s
        if best is not None:
            hits += 1
            deltas.append((d - best) / 1000)
            holds_start += d - clip <= best
    deltas.sort()
    q = lambda f: deltas[int(f * (len(deltas) - 1))] if deltas else float("nan")
    return hits, holds_start, [q(x) for x in (0.1, 0.25, 0.5, 0.75, 0.9)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.environ.get("EVAL_DATA"),
                    help="directory with lightor-train/ and unlabeled-2019/ (not in this repository)")
    ap.add_argument("--tools", default=os.environ.get("EVAL_TOOLS"),
                    help="directory with score-highlights.py")
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "evaluate"))
    a = ap.parse_args()
    if not a.data or not a.tools:
        ap.error("give --data DIR and --tools DIR (or EVAL_DATA and EVAL_TOOLS)")
    os.makedirs(a.work, exist_ok=True)
    scorer = os.path.join(a.tools, "score-highlights.py")
    train = os.path.join(a.data, "lightor-train")
    labels_path = os.path.join(train, "labels.csv")
    labels = load_labels(labels_path)
    unlabeled = os.path.join(a.data, "unlabeled-2019", "chat.csv")

    print("| rule and settings | precision | recall | F1 | highlights | per hour (unlabeled-2019) |")
    print("|---|---|---|---|---|---|")
    default_out = None
    for i, (name, options) in enumerate(VARIANTS):
        out = os.path.join(a.work, f"variant-{i}.jsonl")
        backtest(os.path.join(train, "chat.csv"), out, options)
        per_hour = backtest(unlabeled, os.path.join(a.work, f"variant-{i}-unlabeled.jsonl"), options)
        c = score(scorer, labels_path, out)
        p, r, f = prf(c)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {c['pred']} | {per_hour:.1f} |", flush=True)
        if not options:
            default_out = out

    # Leave one video out: for each video, choose (threshold, history) on the other ten, score the
    # chosen setting on the held-out video, and pool the held-out counts.
    print()
    scores = {}
    for t, h in GRID:
        out = os.path.join(a.work, f"grid-{t}-{h}.jsonl")
        backtest(os.path.join(train, "chat.csv"), out, ["--threshold", t, "--history-windows", h])
        scores[(t, h)] = per_video(scorer, a.work, labels, out, f"{t}-{h}")
    for name, grid in [
        ("threshold x history", GRID),
        ("threshold only, history 10", [k for k in GRID if k[1] == "10"]),
        ("history only, threshold 1.5", [k for k in GRID if k[0] == "1.5"]),
    ]:
        pooled, chosen = {}, collections.Counter()
        for video in labels:
            def others(k):
                total = {}
                for v, c in scores[k].items():
                    if v != video:
                        total = add(total, c)
                return prf(total)[2]
            best = max(grid, key=others)
            chosen[best] += 1
            pooled = add(pooled, scores[best][video])
        p, r, f = prf(pooled)
        print(f"leave-one-video-out, choosing {name} ({len(grid)} settings): precision {p:.3f} "
              f"recall {r:.3f} F1 {f:.3f}; chosen: "
              + ", ".join(f"threshold {t} history {h} ({n}x)" for (t, h), n in chosen.most_common()))
    per = [prf(scores[("1.5", "10")][v])[2] for v in labels]
    print(f"default per video: F1 min {min(per):.3f} median {statistics.median(per):.3f} "
          f"max {max(per):.3f}")

    hits, holds, q = timing(labels, default_out)
    print(f"\ntiming of the default's {hits} hits: detectedAt - label start p10 {q[0]:.0f} s, p25 "
          f"{q[1]:.0f} s, median {q[2]:.0f} s, p75 {q[3]:.0f} s, p90 {q[4]:.0f} s; the clip holds "
          f"the label's start in {holds} of {hits}")
    thirty = os.path.join(a.work, "variant-1.jsonl")
    hits, holds, q = timing(labels, thirty)
    print(f"with 30 s clips: the clip holds the label's start in {holds} of {hits} hits")


if __name__ == "__main__":
    main()
