#!/usr/bin/python3
"""Golden values for tests/core/metrics/tst_procrustes.cpp, computed by scipy.spatial.procrustes.

Run with /usr/bin/python3 (numpy, scipy) from this folder:
    /usr/bin/python3 make_procrustes_goldens.py
For each case <c> in rot2 (2-D, rotated, scaled, shifted and noisy), mirror2 (2-D, mirrored and
noisy), rot3 (3-D) and mixed (a 2-D reference against a 3-D moving set; scipy gets the reference
padded with a zero third column, as the C++ code pads it) writes procrustes_<c>_ref.npy and
procrustes_<c>_mov.npy (n x dims float32), procrustes_<c>_mtx2.npy (n x dims float64: scipy's
moving set after alignment, centred and scaled like the reference to unit Frobenius norm) and a
line "<c> disparity" in procrustes_scalars.txt.
"""
import numpy as np
from scipy.spatial import procrustes
from scipy.spatial.transform import Rotation

rng = np.random.default_rng(29)
n = 60


def rotation2(angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


ref2 = rng.normal(size=(n, 2)) * [3.0, 1.0]
ref3 = rng.normal(size=(n, 3)) * [3.0, 1.5, 0.5]
cases = {
    "rot2": (ref2, 0.4 * ref2 @ rotation2(1.1).T + [5.0, -2.0] + 0.05 * rng.normal(size=(n, 2))),
    "mirror2": (ref2, (ref2 * [-1.0, 1.0]) @ rotation2(0.3).T * 2.0 + 0.1 * rng.normal(size=(n, 2))),
    "rot3": (ref3, 1.7 * ref3 @ Rotation.from_euler("xyz", [0.3, -0.8, 2.0]).as_matrix().T + [1.0, 2.0, 3.0]
             + 0.05 * rng.normal(size=(n, 3))),
    "mixed": (ref2, np.column_stack([ref2 @ rotation2(-0.7).T, 0.3 * rng.normal(size=n)])),
}

with open("procrustes_scalars.txt", "w") as f:
    for name, (ref, mov) in cases.items():
        ref, mov = ref.astype(np.float32), mov.astype(np.float32)
        np.save(f"procrustes_{name}_ref.npy", ref)
        np.save(f"procrustes_{name}_mov.npy", mov)
        a = ref.astype(np.float64)
        b = mov.astype(np.float64)
        if a.shape[1] < b.shape[1]:
            a = np.column_stack([a, np.zeros((n, b.shape[1] - a.shape[1]))])
        _, mtx2, disparity = procrustes(a, b)
        np.save(f"procrustes_{name}_mtx2.npy", mtx2)
        f.write(f"{name} {disparity!r}\n")
print("procrustes goldens written")
