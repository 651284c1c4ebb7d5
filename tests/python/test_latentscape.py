"""The Python module (app/python/latentscape): show() writes the .npy pair the app reads, starts
the app on it, and removes it once the app has closed. Run by CTest (tst_python_module) with
/usr/bin/python3; LATENTSCAPE_CLI names the command-line tool, which reads the written pair back
as the app does (the same loader)."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

import numpy

import latentscape

CLI = os.environ.get("LATENTSCAPE_CLI", "latentscape-cli")


class FakeApp:
    """An executable that records its arguments and the files' bytes at launch, then waits for a
    'close' file: it stands in for the GUI."""

    def __init__(self, folder):
        self.folder = folder
        self.path = os.path.join(folder, "fake-latentscape")
        self.record = os.path.join(folder, "record.json")
        self.close = os.path.join(folder, "close")
        with open(self.path, "w") as f:
            f.write(textwrap.dedent("""\
                #!%s
                import json, os, sys, time
                args = sys.argv[1:]
                files = {a: os.path.getsize(a) for a in args if a.endswith(".npy")}
                json.dump({"args": args, "sizes": files}, open(%r + ".partial", "w"))
                os.replace(%r + ".partial", %r)
                end = time.time() + 60  # never outlives a test run
                while not os.path.exists(%r) and os.path.isdir(%r) and time.time() < end:
                    time.sleep(0.02)
                """ % (sys.executable, self.record, self.record, self.record, self.close, folder)))
        os.chmod(self.path, 0o755)

    def recorded(self, timeout=20):
        end = time.time() + timeout
        while not os.path.exists(self.record):
            if time.time() > end:
                raise AssertionError("the app was not started")
            time.sleep(0.02)
        with open(self.record) as f:
            return json.load(f)


def wait_gone(path, timeout=20):
    end = time.time() + timeout
    while os.path.exists(path):
        if time.time() > end:
            return False
        time.sleep(0.02)
    return True


class ShowTest(unittest.TestCase):
    def setUp(self):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a display for the module's check
        self.tmp = tempfile.TemporaryDirectory()
        self.app = FakeApp(self.tmp.name)
        self.viewers = []

    def tearDown(self):
        open(self.app.close, "w").close()
        for viewer in self.viewers:
            viewer.wait(20)
        self.tmp.cleanup()

    def show(self, *args, **kwargs):
        viewer = latentscape.show(*args, app=self.app.path, **kwargs)
        self.viewers.append(viewer)
        return viewer

    def test_writes_the_pair_and_starts_the_app_on_it(self):
        rng = numpy.random.default_rng(3)
        X = rng.normal(size=(300, 7))  # float64: written as float32
        labels = numpy.repeat(numpy.arange(3), 100)
        viewer = self.show(X, labels)
        rec = self.app.recorded()
        self.assertEqual(rec["args"], ["--labels", viewer.labels, viewer.features])
        written = numpy.load(viewer.features)
        self.assertEqual(written.dtype, numpy.float32)
        self.assertTrue(numpy.array_equal(written, X.astype(numpy.float32)))
        self.assertTrue(numpy.array_equal(numpy.load(viewer.labels), labels))
        self.assertFalse([n for n in os.listdir(viewer.folder) if n.endswith(".partial")])
        # The loader the app uses reads the pair: 300 rows, 7 features, 3 classes.
        info = json.loads(subprocess.run([CLI, "info", viewer.features, "--labels", viewer.labels, "--json"],
                                         check=True, capture_output=True, text=True).stdout)
        self.assertEqual((info["rows"], info["features"]), (300, 7))
        self.assertEqual(info["label"], "label")
        self.assertEqual(info["metadata"][0]["categories"], ["0", "1", "2"])
        # The files stay while the app runs, and go when it closes.
        time.sleep(0.2)
        self.assertTrue(os.path.exists(viewer.features))
        open(self.app.close, "w").close()
        self.assertEqual(viewer.wait(20), 0)
        self.assertTrue(wait_gone(viewer.folder), "the temporary files were not removed")

    def test_files_go_when_the_app_closes_after_python_has_exited(self):
        # A script that ends right after show(): the files must still go once the app closes.
        # (Its output goes to a file: the app inherits stdout, and a pipe would stay open.)
        said = os.path.join(self.tmp.name, "folder.txt")
        script = ("import sys, latentscape; v = latentscape.show([[1.0, 2.0], [3.0, 4.0]], ['a', 'b'], app=sys.argv[1]); "
                  "open(sys.argv[2], 'w').write(v.folder)")
        r = subprocess.run([sys.executable, "-c", script, self.app.path, said], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=60,
                           env=dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(latentscape.__file__))))
        self.assertEqual(r.returncode, 0)
        with open(said) as f:
            folder = f.read()
        self.assertTrue(self.app.recorded()["args"][-1].startswith(folder))
        self.assertTrue(os.path.isdir(folder), "removed while the app runs")
        open(self.app.close, "w").close()
        self.assertTrue(wait_gone(folder), "the files outlived the app")

    def test_close_ends_the_app_and_removes_the_files(self):
        viewer = self.show(numpy.eye(3))
        self.app.recorded()
        viewer.close()
        self.assertTrue(wait_gone(viewer.folder), "close() left the files")
        # The app itself is gone too (the stand-in would otherwise wait 60 s for its close file).
        out = subprocess.run(["pgrep", "-f", self.app.path], capture_output=True, text=True).stdout
        self.assertEqual(out.strip(), "")

    def test_an_app_that_cannot_start_is_reported(self):
        failing = os.path.join(self.tmp.name, "failing-app")
        with open(failing, "w") as f:
            f.write("#!/bin/sh\necho cannot open display >&2\nexit 134\n")
        os.chmod(failing, 0o755)
        with self.assertRaises(RuntimeError) as e:
            latentscape.show(numpy.eye(2), app=failing)
        self.assertIn("exited at once with status 134", str(e.exception))
        with self.assertRaises(FileNotFoundError) as e:
            latentscape.show(numpy.eye(2), app=failing + "-typo")
        self.assertIn("is not an executable file", str(e.exception))
        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
        r = subprocess.run([sys.executable, "-c", "import latentscape; latentscape.show([[1.0]], app=%r)" % self.app.path],
                           env=env, capture_output=True, text=True)
        self.assertIn("there is no display", r.stderr)

    def test_missing_labels(self):
        viewer = self.show(numpy.eye(3), numpy.array(["x", float("nan"), None], dtype=object))
        self.app.recorded()
        self.assertEqual(numpy.load(viewer.labels).tolist(), ["x", "", ""])

    def test_keep_and_no_labels(self):
        viewer = self.show([[1, 2], [3, 4], [5, 6]], keep=True, name="tiny")
        rec = self.app.recorded()
        self.assertEqual(rec["args"], [viewer.features])
        self.assertIsNone(viewer.labels)
        self.assertEqual(os.path.basename(viewer.features), "tiny.npy")
        open(self.app.close, "w").close()
        viewer.wait(20)
        time.sleep(0.2)
        self.assertTrue(os.path.exists(viewer.features), "keep=True removed the files")
        os.remove(viewer.features)
        os.rmdir(viewer.folder)

    def test_names_are_written_as_text_the_app_reads(self):
        viewer = self.show(numpy.eye(4), ["cat", "d\u00f6g", None, "cat"])
        self.app.recorded()
        written = numpy.load(viewer.labels)
        self.assertEqual(written.dtype.kind, "U")
        self.assertEqual(written.tolist(), ["cat", "d\u00f6g", "", "cat"])
        info = json.loads(subprocess.run([CLI, "info", viewer.features, "--labels", viewer.labels, "--json"],
                                         check=True, capture_output=True, text=True).stdout)
        label = info["metadata"][0]
        self.assertEqual(label["kind"], "categorical")
        self.assertEqual(label["categories"], ["cat", "d\u00f6g"])
        self.assertEqual(label["missing"], 1)

    def test_bad_input_is_refused_before_anything_starts(self):
        cases = [
            (numpy.zeros((2, 3, 4)), None, "2-D"),
            (numpy.zeros((0, 3)), None, "empty"),
            (numpy.array([["a", "b"]]), None, "numbers"),
            (numpy.array([[1.0, numpy.nan], [0, 0]]), None, "X[0, 1] is nan"),
            (numpy.array([[1e39, 0.0]]), None, "X[0, 0] = 1e+39 is too large for float32"),
            (numpy.array([[0.0, -numpy.inf]]), None, "X[0, 1] is -inf"),
            (numpy.zeros((3, 2)), [1, 2], "one value per row of X (3)"),
        ]
        for X, labels, message in cases:
            with self.assertRaises(ValueError) as e:
                latentscape.show(X, labels, app=self.app.path)
            self.assertIn(message, str(e.exception))
        with self.assertRaises(ValueError):
            latentscape.show(numpy.zeros((2, 2)), name="../escape", app=self.app.path)
        time.sleep(0.2)
        self.assertFalse(os.path.exists(self.app.record), "the app was started on bad input")

    def test_missing_app_is_named(self):
        env = dict(os.environ, PATH="/nonexistent")
        env.pop("LATENTSCAPE_APP", None)
        r = subprocess.run([sys.executable, "-c", "import latentscape; latentscape.show([[1.0, 2.0]])"],
                           env=env, capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("latentscape) is not on PATH", r.stderr)

    def test_version_is_the_programs(self):
        out = subprocess.run([CLI, "--version"], check=True, capture_output=True, text=True).stdout.split()
        self.assertEqual(out[-1], latentscape.__version__)


if __name__ == "__main__":
    unittest.main()
