"""Latentscape from Python: show an array in the desktop explorer.

    >>> import numpy as np, latentscape
    >>> X = np.random.default_rng(0).normal(size=(1000, 50))
    >>> labels = np.repeat(np.arange(4), 250)
    >>> latentscape.show(X, labels)          # the app opens on X, coloured by the labels

show() writes X (float32) and the labels as a temporary .npy pair and starts the app on them; it
returns at once, and the files are removed when the app closes. Nothing is computed in Python.
"""

import os
import shutil
import subprocess
import tempfile

__all__ = ["show", "Viewer", "__version__"]
__version__ = "0.1.0"


class Viewer:
    """What show() started: the app's process and the files it was given."""

    def __init__(self, process, folder, features, labels):
        self.process = process    #: the subprocess.Popen of the app (of the shell that removes the files after it)
        self.folder = folder      #: the temporary folder holding the files
        self.features = features  #: path of the features .npy (float32, n x d)
        self.labels = labels      #: path of the labels .npy, or None

    def wait(self, timeout=None):
        """Waits until the app is closed (and its files removed); returns its exit status."""
        return self.process.wait(timeout)

    def close(self, timeout=10):
        """Closes the app (SIGTERM) and waits for it; returns its exit status."""
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout)

    def __repr__(self):
        return "<latentscape.Viewer pid=%d features=%r>" % (self.process.pid, self.features)


def _app_command(app):
    if app is None:
        app = os.environ.get("LATENTSCAPE_APP") or shutil.which("latentscape")
    if not app:
        raise FileNotFoundError("the Latentscape app (latentscape) is not on PATH; install the latentscape "
                                "package, or pass app= or set LATENTSCAPE_APP to its path")
    found = shutil.which(app)
    if found is None:
        raise FileNotFoundError("the Latentscape app %r is not an executable file" % app)
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")):
        raise RuntimeError("there is no display to open the app on (DISPLAY and WAYLAND_DISPLAY are unset): "
                           "run it on a desktop, or use latentscape-cli")
    return [found]


# Runs the app and removes the files once it has exited, from a shell that outlives this
# interpreter (a script that ends right after show()). A TERM, INT or HUP to the shell
# (Viewer.close) is passed on to the app, and the files still go.
_CLEANUP = """dir=$1; shift
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
wait "$child"; status=$?
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
rm -rf -- "$dir"
exit $status"""


def _features(X, numpy):
    if hasattr(X, "toarray") and not isinstance(X, numpy.ndarray):  # scipy.sparse
        X = X.toarray()
    X = numpy.asarray(X)
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    if X.ndim != 2:
        raise ValueError("X must be a 2-D array (rows x features), not %d-D with shape %s" % (X.ndim, X.shape))
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError("X is empty (shape %s)" % (X.shape,))
    if X.dtype.kind not in "biuf":
        raise ValueError("X must hold numbers, not %s values" % X.dtype)
    original = X
    with numpy.errstate(over="ignore"):
        X = numpy.ascontiguousarray(X, dtype=numpy.float32)
    bad = ~numpy.isfinite(X)
    if bad.any():
        row, col = numpy.argwhere(bad)[0]
        value = original[row, col]
        if numpy.isfinite(value):
            raise ValueError("X[%d, %d] = %r is too large for float32, which the app computes in" % (row, col, value))
        raise ValueError("X[%d, %d] is %s: every value must be finite" % (row, col, value))
    return X


def _labels(labels, n, numpy):
    labels = numpy.asarray(labels)
    if labels.ndim != 1:
        labels = labels.reshape(-1) if labels.size == n else labels
    if labels.ndim != 1 or labels.shape[0] != n:
        raise ValueError("labels must hold one value per row of X (%d), not shape %s" % (n, labels.shape))
    if labels.dtype.kind in "biu":  # bool too: classes 0 and 1
        return labels.astype(numpy.int64)
    if labels.dtype.kind == "f":
        return labels.astype(numpy.float64)
    # Names (strings, pandas categories, objects): written as a str array ('<U'), which the app
    # shows as categories named by the strings; None, NaN and pandas.NA are missing ("").
    return numpy.array(["" if _missing(v) else str(v) for v in labels.tolist()], dtype=str)


def _missing(v):
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN
    except TypeError:
        return True  # pandas.NA, whose comparisons are NA


def _save(path, array, numpy):
    # Written whole, then renamed: the app never sees half a file.
    partial = path + ".partial"
    with open(partial, "wb") as f:
        numpy.save(f, array, allow_pickle=False)
    os.replace(partial, path)


def show(X, labels=None, *, name="data", app=None, keep=False):
    """Opens the Latentscape app on X (n rows x d features), coloured by `labels` if given.

    X        array-like of numbers (NumPy, pandas, lists; scipy.sparse is densified); cast to float32
    labels   one per row: integers (classes), floats (a numeric colouring) or names (strings,
             pandas categories; None is missing)
    name     the file name the app shows ("data" -> data.npy)
    app      the app's executable (default: $LATENTSCAPE_APP, else `latentscape` on PATH)
    keep     keep the temporary files after the app closes (default: removed)

    Returns a Viewer (its process, the files); the call does not wait for the app. Raises
    ValueError for an array the app would refuse (not 2-D, empty, non-numeric, NaN or inf).
    """
    import numpy

    X = _features(X, numpy)
    label_values = None
    if labels is not None:
        label_values = _labels(labels, X.shape[0], numpy)
    command = _app_command(app)
    if os.sep in name or not name or name.startswith("."):
        raise ValueError("name must be a plain file name, not %r" % name)
    folder = tempfile.mkdtemp(prefix="latentscape-")
    try:
        features = os.path.join(folder, name + ".npy")
        _save(features, X, numpy)
        labels_path = None
        if label_values is not None:
            labels_path = os.path.join(folder, name + ".labels.npy")
            _save(labels_path, label_values, numpy)
            command += ["--labels", labels_path]
        command.append(features)
        app_path = command[0]
        if not keep:
            # The app may map the file while it is open, so the files go only once it has closed.
            command = ["/bin/sh", "-c", _CLEANUP, "latentscape-show", folder] + command
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            # An app that cannot start (no display it can use, a broken install) ends at once:
            # say so here rather than return a Viewer of nothing.
            status = process.wait(0.5)
        except subprocess.TimeoutExpired:
            status = None
        if status is not None and status != 0:
            raise RuntimeError("the Latentscape app (%s) exited at once with status %d; run it from a terminal "
                               "to see why" % (app_path, status))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Viewer(process, folder, features, labels_path)

