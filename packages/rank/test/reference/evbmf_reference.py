"""The anchor run for packages/rank/test/reference/evbmf-reference.json.

Runs VBMF.py's EVBMF (CasvandenBogaard/VBMF; not vendored: pass its folder in VBMF_DIR) on the
inputs written by make-inputs.ts and records rank, sigma2 and the kept singular values' shrunk
values. Usage:
  npx tsx packages/rank/test/reference/make-inputs.ts /tmp/evbmf-ref
  VBMF_DIR=/path/to/VBMF python3 packages/rank/test/reference/evbmf_reference.py /tmp/evbmf-ref \
      packages/rank/test/reference/evbmf-reference.json
(VBMF.py is Python 2: turn its two print statements into print() calls first, as for rank.json.)
"""
import contextlib, io, json, os, sys, time
import numpy as np, scipy

sys.path.insert(0, os.environ["VBMF_DIR"])
import VBMF  # noqa: E402

d = sys.argv[1]
out = {"generator": f"VBMF.py EVBMF (numpy {np.__version__}, scipy {scipy.__version__})", "cases": []}
for c in json.load(open(os.path.join(d, "index.json"))):
    y = np.fromfile(os.path.join(d, c["name"] + ".f64"), dtype="<f8").reshape(c["shape"])
    if y.shape[0] > y.shape[1]:
        y = y.T  # VBMF.py assumes L <= M; Tenfold transposes tall input (docs/fidelity/rank.md)
    t = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # VBMF.py prints sigma2
        U, S, V, post = VBMF.EVBMF(y)
    dt = time.perf_counter() - t
    diag = np.diag(S)
    out["cases"].append({"name": c["name"], "shape": c["shape"], "rank": int(diag.size), "sigma2": float(post["sigma2"]),
                         "d": [float(x) for x in diag], "seconds": dt})
with open(sys.argv[2], 'w') as f:
    json.dump(out, f, indent=1)
