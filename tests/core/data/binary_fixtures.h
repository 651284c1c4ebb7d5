#pragma once
// Shared by the binary-format suites: the fixtures folder and small builders of NPY bytes.
#include <QtTest>

#include <string>
#include <vector>

namespace binary_fixtures {

inline const QString fixtures = QStringLiteral(LATENTSCAPE_TEST_DATA "/npy/");
inline const std::vector<std::string> fashion_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

inline std::string fixture(const QString& name) { return (fixtures + name).toStdString(); }

// Writes `bytes` to `name` under `dir` (folders made as needed); returns the path.
inline std::string write_file(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    f.write(bytes);
    return path.toStdString();
}

inline QByteArray readFixture(const QString& name) {
    QFile f(fixtures + name);
    if (!f.open(QIODevice::ReadOnly)) qFatal("missing fixture %s", qPrintable(name));
    return f.readAll();
}

// An NPY file with the given header dict (v1, or v2 with a 32-bit length), padded as numpy does.
inline QByteArray npy(const QByteArray& dict, const QByteArray& data, int major = 1) {
    const int preamble = major == 1 ? 10 : 12;
    QByteArray header = dict;
    while ((preamble + header.size() + 1) % 64) header += ' ';
    header += '\n';
    QByteArray out("\x93NUMPY", 6);
    out += char(major);
    out += char(0);
    for (int k = 0; k < preamble - 8; ++k) out += char((header.size() >> (8 * k)) & 0xff);
    return out + header + data;
}
inline QByteArray dict(const QByteArray& descr, const QByteArray& shape, bool fortran = false) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape +
           ", }";
}
template <typename T>
QByteArray raw(const std::vector<T>& values) {
    return QByteArray(reinterpret_cast<const char*>(values.data()), qsizetype(values.size() * sizeof(T)));
}

// The 4 x 3 grid of make_fixtures.py as each dtype family stores it.
inline double grid(char kind, int i, int j) {
    const int g = 3 * i + j;
    switch (kind) {
        case 'f': return 0.5 * g - 2.25;
        case 'i': return g - 5;
        case 'b': return (i + j) % 2;
        default: return g;
    }
}

}  // namespace binary_fixtures
