#!/usr/bin/env python3
"""Fits the excess rule's threshold and score weights on labelled chat and writes the model the job
ships (flink-job/src/main/resources/detector-model.properties), or prints it.

    tools/fit-detector.py --data DIR [--out FILE]

--data holds lightor-train/ and lightor-dev/ (chat.csv[.gz] and labels.csv each; not in this
repository; EVAL_DATA sets it too). A model fitted elsewhere is used with --detector-model FILE.
tools/evaluate.py refits it on each cross-validation fold to measure how well it generalises.
"""
import argparse, datetime, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import detector  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.environ.get("EVAL_DATA"))
    ap.add_argument("--sets", default="lightor-train,lightor-dev")
    ap.add_argument("--out", help="write the model here (default: print it)")
    a = ap.parse_args()
    if not a.data:
        ap.error("give --data DIR (or EVAL_DATA)")
    videos = detector.load_videos(a.data, a.sets.split(","))
    model = detector.fit(videos)
    text = detector.model_properties(
        model, f"Fitted by tools/fit-detector.py on {a.sets} ({len(videos)} videos, "
               f"{sum(len(v.labels) for v in videos)} labels), {datetime.date.today()}.")
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
