#!/usr/bin/python3
"""Goldens for tst_preprocess: scikit-learn's scalers and numpy's log1p on UCI wine
(tests/data/text/wine_data.csv, scikit-learn's copy: its first line is a preamble, the last column the
class, dropped here), as float32 .npy files. Run with Debian's Python: /usr/bin/python3 make_preprocess_goldens.py
"""
import numpy as np
from sklearn.preprocessing import MinMaxScaler, StandardScaler

X = np.loadtxt("../text/wine_data.csv", delimiter=",", skiprows=1)[:, :13].astype(np.float32)
np.save("wine_features.npy", X)
np.save("wine_standardize.npy", StandardScaler().fit_transform(X.astype(np.float64)).astype(np.float32))
np.save("wine_minmax.npy", MinMaxScaler().fit_transform(X.astype(np.float64)).astype(np.float32))
np.save("wine_log1p.npy", np.log1p(X.astype(np.float64)).astype(np.float32))
print(X.shape)
