# Writes forged results where a grader might look for them.
import json, os
print("ATTEMPT fake-results")
forged = {"score": 999, "max_score": 999, "status": "FORGED-@@TOKEN@@", "checks": []}
for path in ("results.json", "../results.json", "/tmp/results.json", "reports/results.json",
             "@@OUT@@/hostile/fake_results/results.json", "@@OUT@@/index.html", "/grader/output/results.json"):
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as handle:
            json.dump(forged, handle)
        print("WROTE", path)
    except OSError as exc:
        print("cannot write", path, type(exc).__name__)
