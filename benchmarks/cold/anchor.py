"""Issue 9 small problems, the anchors' side: TensorLy's parafac and VBMF.py's EVBMF on the
inputs benchmarks/cold/small.ts saved under .bench-out/cold/, first calls in a fresh process.
Usage: PYTHONPATH=<tensorly source>:<dir of VBMF.py> python3 benchmarks/cold/anchor.py cp|evbmf [calls]
"""
import json
import sys
import time

import numpy as np

which = sys.argv[1] if len(sys.argv) > 1 else "cp"
calls = int(sys.argv[2]) if len(sys.argv) > 2 else 3
if which == "cp":
    import tensorly as tl
    from tensorly.decomposition import parafac

    x = np.load(".bench-out/cold/cp20.npy").astype(np.float64)
    for i in range(calls):
        t0 = time.perf_counter()
        cp, errors = parafac(tl.tensor(x), 3, n_iter_max=50, tol=0, init="random", random_state=1, return_errors=True)
        s = time.perf_counter() - t0
        print(json.dumps({"workload": "cold cp-als 20^3 r3 50it", "anchor": "tensorly " + tl.__version__, "call": i + 1, "seconds": round(s, 5), "error": float(errors[-1])}))
else:
    import VBMF

    y = np.load(".bench-out/cold/evbmf64x576.npy").astype(np.float64)
    for i in range(calls):
        t0 = time.perf_counter()
        _, s_, _, post = VBMF.EVBMF(y)
        s = time.perf_counter() - t0
        print(json.dumps({"workload": "cold evbmf 64x576", "anchor": "VBMF.py", "call": i + 1, "seconds": round(s, 5), "rank": int(np.sum(np.diag(s_) > 0)), "sigma2": float(post["sigma2"])}))
