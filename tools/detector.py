"""The excess rule in Python, window for window as the job's `ExcessRule` computes it, and how its
few numbers are fitted. Used by tools/fit-detector.py (writes the model the job ships) and by
tools/evaluate.py (refits it per cross-validation fold). Plain Python, no packages.

The rule, per channel and 10 s window (windows without messages count as zero):
    n      = how many previous windows the channel has, the last BASELINE_WINDOWS at most
             (at least MIN_WINDOWS, or the window is not judged)
    m      = their mean count
    excess = (count - m) / (m + 1) ** EXPONENT        (messages above normal, in noise units that
                                                       grow more slowly than the count)
    bar    = quiet_threshold if m < QUIET_LEVEL else threshold
             (a quiet channel's count is mostly noise and a few people talking: a larger rise)
    surge  = excess > bar + warmup * (BASELINE_WINDOWS - n) / BASELINE_WINDOWS
             (a baseline of few windows is uncertain: a channel just joined needs a larger rise)
             and peak >= min_peak, where peak is the most messages the window holds in one second
             of the clock (many people at once is a reaction; a conversation is not)
    score  = 1 / (1 + exp(-(w_excess * excess + w_level * ln(m + 1) + bias)))
The score is the fitted probability that a 60 s clip requested at the window's end shows a labelled
highlight: it ranks moments within a channel and across channels. The clip budget (ClipBudget)
assumes prior.rate highlights an hour with scores like prior.scores for a channel it has seen for
less than an hour.
"""
import collections, csv, gzip, math

WINDOW_MS = 10_000
BASELINE_WINDOWS = 30  # 5 minutes of the channel's history
MIN_WINDOWS = 10       # 100 s, as the 2018 rule and the variance rule
EXPONENT = 0.7
QUIET_LEVEL = 5.0      # a baseline below 5 messages a window (0.5 a second) is a quiet channel
COOLDOWN_MS = 30_000
THRESHOLDS = [round(1.0 + 0.05 * i, 2) for i in range(41)]  # 1.00 ... 3.00
WARMUPS = [0.0, 1.0, 2.0, 3.0, 4.0, 6.0]
QUIET_THRESHOLDS = [round(1.5 + 0.1 * i, 1) for i in range(12)]  # 1.5 ... 2.6
MIN_PEAKS = [1, 2, 3, 4]  # 1: any surge window has a message


def opener(path):
    return gzip.open(path, "rt") if path.endswith(".gz") else open(path)


def read_chat(path):
    """channel -> sorted message times (ms)."""
    chat = collections.defaultdict(list)
    with opener(path) as f:
        for r in csv.DictReader(f):
            chat[r["channel"]].append(int(r["epoch_millis"]))
    for times in chat.values():
        times.sort()
    return dict(chat)


def read_labels(path):
    """video -> [(start, end)], point labels widened to +-30 s as score-highlights.py does."""
    labels = collections.defaultdict(list)
    with open(path) as f:
        for r in csv.DictReader(f):
            s, e = int(r["start_epoch_millis"]), int(r["end_epoch_millis"])
            if s == e:
                s, e = s - 30_000, e + 30_000
            labels[r["channel_or_video"]].append((s, e))
    return dict(labels)


def windows(times):
    """(first window start, counts of every window from the first message's to the last's, and
    each window's peak: the most messages in one second of the clock)."""
    counts = collections.Counter(t // WINDOW_MS for t in times)
    seconds = collections.Counter(t // 1000 for t in times)
    peaks = collections.Counter()
    for sec, n in seconds.items():
        w = sec * 1000 // WINDOW_MS
        peaks[w] = max(peaks[w], n)
    lo, hi = min(counts), max(counts)
    return (lo * WINDOW_MS, [counts.get(i, 0) for i in range(lo, hi + 1)],
            [peaks.get(i, 0) for i in range(lo, hi + 1)])


def features(counts):
    """Per window: (excess, ln(m + 1), missing baseline share, m), or None while the history is
    too short."""
    out = []
    for i, c in enumerate(counts):
        if i >= MIN_WINDOWS:
            n = min(i, BASELINE_WINDOWS)
            m = sum(counts[i - n:i]) / n
            out.append(((c - m) / (m + 1) ** EXPONENT, math.log(m + 1),
                        (BASELINE_WINDOWS - n) / BASELINE_WINDOWS, m))
        else:
            out.append(None)
    return out


class Video:
    """One video's windows, their features, and which labels a clip ending at each would show."""

    def __init__(self, name, times, labels):
        self.name = name
        self.start, self.counts, self.peaks = windows(times)
        self.features = features(self.counts)
        self.labels = labels
        self.hours = (times[-1] - times[0]) / 3_600_000
        self.hits = {}
        for clip in (30, 60):
            hits = []
            for i in range(len(self.counts)):
                t = self.detected_at(i)
                hits.append([k for k, (s, e) in enumerate(labels)
                             if t - clip * 1000 <= e and s <= t + 5000])
            self.hits[clip] = hits

    def detected_at(self, i):
        return self.start + (i + 1) * WINDOW_MS


def fire(video, threshold, warmup, quiet_threshold=None, min_peak=1, cooldown_ms=COOLDOWN_MS,
         quiet_level=QUIET_LEVEL):
    """Indices of the windows that become highlights: the first surge window of each run of surge
    windows, none within the cooldown of the last highlight (HighlightGate's rule)."""
    if quiet_threshold is None:
        quiet_threshold = threshold
    out, last, run, prev = [], None, -1, -2
    for i, f in enumerate(video.features):
        if f is None or video.peaks[i] < min_peak:
            continue
        bar = quiet_threshold if f[3] < quiet_level else threshold
        if not f[0] > bar + warmup * f[2]:
            continue
        if i != prev + 1:
            run = i
        prev = i
        t = video.detected_at(i)
        if last is not None and (last[1] == run or t - last[0] < cooldown_ms):
            continue
        out.append(i)
        last = (t, run)
    return out


def counts_of(videos, rule, clip):
    """Pooled counts as score-highlights.py makes them; rule = (threshold, warmup, quiet threshold,
    min peak)."""
    c = {"hit_pred": 0, "pred": 0, "hit_lab": 0, "lab": 0}
    for v in videos:
        fired = fire(v, *rule)
        c["pred"] += len(fired)
        c["hit_pred"] += sum(1 for i in fired if v.hits[clip][i])
        c["hit_lab"] += len({k for i in fired for k in v.hits[clip][i]})
        c["lab"] += len(v.labels)
    return c


def f1(c):
    p = c["hit_pred"] / c["pred"] if c["pred"] else 0.0
    r = c["hit_lab"] / c["lab"] if c["lab"] else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def fit_rule(videos):
    """(threshold, warmup, quiet threshold, min peak) with the best pooled F1 at 60 s clips, the
    job's default clip length, by coordinate ascent: threshold and warm-up as for every channel,
    then the quiet channels' threshold and the peak, then threshold and warm-up again (ties: the
    lower numbers)."""
    def best(candidates):
        return max(candidates, key=lambda r: (f1(counts_of(videos, r, 60)), -r[1], -r[0],
                                              -r[2], -r[3]))
    t, w, _, _ = best([(t, w, t, 1) for w in WARMUPS for t in THRESHOLDS])
    _, _, q, p = best([(t, w, q, p) for q in QUIET_THRESHOLDS for p in MIN_PEAKS])
    return best([(t, w, q, p) for w in WARMUPS for t in THRESHOLDS])


def fit_score(videos, l2=1.0):
    """Logistic regression of 'a 60 s clip ending here shows a label' on (excess, ln(m + 1)) over
    every judged window; Newton's method on three weights, a little L2 on the two slopes."""
    rows = [(f[0], f[1], 1.0 if v.hits[60][i] else 0.0)
            for v in videos for i, f in enumerate(v.features) if f is not None]
    w = [0.0, 0.0, 0.0]
    for _ in range(50):
        g = [0.0, 0.0, 0.0]
        h = [[0.0] * 3 for _ in range(3)]
        for x1, x2, y in rows:
            z = w[0] * x1 + w[1] * x2 + w[2]
            p = 1 / (1 + math.exp(-z)) if z > -35 else 0.0
            x = (x1, x2, 1.0)
            for a in range(3):
                g[a] += (p - y) * x[a]
                for b in range(3):
                    h[a][b] += p * (1 - p) * x[a] * x[b]
        for a in range(2):
            g[a] += l2 * w[a]
            h[a][a] += l2
        step = solve3(h, g)
        w = [w[a] - step[a] for a in range(3)]
        if max(abs(s) for s in step) < 1e-10:
            break
    return {"excess": w[0], "level": w[1], "bias": w[2]}


def solve3(a, b):
    """Solves a 3x3 system by Cramer's rule."""
    def det(m):
        return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))
    d = det(a)
    out = []
    for k in range(3):
        m = [row[:] for row in a]
        for r in range(3):
            m[r][k] = b[r]
        out.append(det(m) / d)
    return out


PRIOR_SCORES = 8


def fit(videos):
    """The model's fitted numbers: threshold and warm-up, score weights, and what the clip budget
    assumes of a channel it has not seen for long (highlights an hour, and their scores as
    PRIOR_SCORES quantiles)."""
    threshold, warmup, quiet, peak = fit_rule(videos)
    model = {"threshold": threshold, "warmup": warmup, "quiet-threshold": quiet, "min-peak": peak}
    weights = fit_score(videos)
    model.update({"weight." + k: v for k, v in weights.items()})
    scores = sorted(score_of(weights, v.features[i])
                    for v in videos for i in fire(v, threshold, warmup, quiet, peak))
    model["prior.rate"] = len(scores) / sum(v.hours for v in videos)
    model["prior.scores"] = [scores[int((k + 0.5) / PRIOR_SCORES * len(scores))]
                             for k in range(PRIOR_SCORES)]
    return model


def score_of(weights, f):
    z = weights["excess"] * f[0] + weights["level"] * f[1] + weights["bias"]
    return 1 / (1 + math.exp(-z))


def model_properties(model, comment):
    lines = ["# The excess rule's model (tools/detector.py explains each number)."]
    lines += ["# " + line for line in comment.splitlines()]
    lines += [
        f"baseline-windows={BASELINE_WINDOWS}",
        f"min-windows={MIN_WINDOWS}",
        f"exponent={EXPONENT}",
        f"threshold={model['threshold']}",
        f"warmup={model['warmup']}",
        f"quiet-level={QUIET_LEVEL}",
        f"quiet-threshold={model['quiet-threshold']}",
        f"min-peak={model['min-peak']}",
        f"weight.excess={model['weight.excess']:.6f}",
        f"weight.level={model['weight.level']:.6f}",
        f"weight.bias={model['weight.bias']:.6f}",
        f"prior.rate={model['prior.rate']:.2f}",
        "prior.scores=" + ",".join(f"{x:.4f}" for x in model["prior.scores"]),
    ]
    return "\n".join(lines) + "\n"


def load_videos(data_dir, sets=("lightor-train", "lightor-dev")):
    """The labelled videos of the given data sets (each: chat.csv[.gz] and labels.csv)."""
    import os
    videos = []
    for name in sets:
        d = os.path.join(data_dir, name)
        chat_path = os.path.join(d, "chat.csv")
        if not os.path.exists(chat_path):
            chat_path += ".gz"
        chat = read_chat(chat_path)
        labels = read_labels(os.path.join(d, "labels.csv"))
        for video in sorted(labels):
            if video in chat:
                videos.append(Video(video, chat[video], labels[video]))
    return videos


def folds(videos, k=10):
    """Cross-validation folds by video: video j (in name order) is held out in fold j mod k."""
    ordered = sorted(videos, key=lambda v: v.name)
    return [ordered[i::k] for i in range(k)]
