#!/usr/bin/python3
"""Goldens for tst_csv's text formats: what numpy.loadtxt reads from each text file here.

Run with Debian's Python (it has numpy): /usr/bin/python3 make_text_goldens.py
The scikit-learn files (linnerud_exercise.csv, diabetes_data_raw.csv.gz, boston_house_prices.csv,
wine_data.csv; BSD licence) are copied from python3-sklearn's sklearn/datasets/data. The small
files below are written by this script, in layouts numpy.loadtxt reads by default: whitespace
between fields, '#' comments, numpy.savetxt's commented header, CR-only line breaks.
Each golden is <file>.golden.npy: float32, as numpy.loadtxt(...).astype(float32).
"""
import numpy as np

np.savetxt("savetxt_header.txt", np.arange(12, dtype=float).reshape(4, 3) / 7.0, header="alpha beta gamma")
with open("comments.dat", "w") as f:
    f.write("# measured 2026-12-07\n# x y z\n1 2 3  # first row\n\t4\t5   6\n# 7 8 9 (left out)\n\n  10 11 12   \n")
with open("mac_cr.data", "wb") as f:
    f.write(b"1.5 2.5 3.5\r4 5 6\r7 8 9\r")

goldens = {
    "linnerud_exercise.csv": dict(skiprows=1),
    "diabetes_data_raw.csv.gz": dict(),
    "boston_house_prices.csv": dict(delimiter=",", skiprows=2),
    "wine_data.csv": dict(delimiter=",", skiprows=1),
    "savetxt_header.txt": dict(),
    "comments.dat": dict(),
    "mac_cr.data": dict(),
}
for name, kwargs in goldens.items():
    values = np.loadtxt(name, **kwargs).astype(np.float32)
    np.save(name + ".golden.npy", values)
    print(name, values.shape)
