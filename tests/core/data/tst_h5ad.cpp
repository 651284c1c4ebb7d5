// AnnData (.h5ad) loading: dense, CSR and CSC X, anndata 0.7's layout and 0.9's nullable columns
// give exactly what anndata reads (goldens in tests/data/h5ad, made by make_h5ad_fixtures.py);
// obsm embeddings arrive as Dataset::embeddings; and every damaged file (made here from the good
// ones with the HDF5 C API: truncated, indptr decreasing, indices out of range, NaN, shapes that
// disagree, an unsupported type) is a LoadError naming the file and the object inside it.
#include "common/error.h"
#include "data/load.h"

#include <QtTest>

#include <hdf5.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>

using namespace latentscape;
using namespace latentscape::data;

namespace {

const std::string fixtures = LATENTSCAPE_TEST_DATA "/h5ad/";

QJsonObject read_json(const std::string& path) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", path.c_str());
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<std::string> strings(const QJsonValue& v) {
    std::vector<std::string> out;
    for (const auto& s : v.toArray()) out.push_back(s.toString().toStdString());
    return out;
}

// The float32 golden matrix written by numpy.
std::vector<float> golden_matrix(const std::string& path, std::int64_t& rows, std::int64_t& cols) {
    const Dataset g = load_npy(path);
    rows = g.n;
    cols = g.d;
    return {g.features.begin(), g.features.end()};
}

// --- making damaged copies with the HDF5 C API ---------------------------------------------------

using Edit = std::function<void(hid_t file)>;

void check(herr_t status, const char* what) {
    if (status < 0) qFatal("HDF5 edit failed: %s", what);
}

void write_element(hid_t file, const char* path, std::vector<hsize_t> at, hid_t memtype, const void* value) {
    const hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    const hid_t space = H5Dget_space(d);
    std::vector<hsize_t> one(at.size(), 1);
    check(H5Sselect_hyperslab(space, H5S_SELECT_SET, at.data(), nullptr, one.data(), nullptr), path);
    const hid_t mem = H5Screate_simple(int(one.size()), one.data(), nullptr);
    check(H5Dwrite(d, memtype, mem, space, H5P_DEFAULT, value), path);
    H5Sclose(mem);
    H5Sclose(space);
    H5Dclose(d);
}

void set_int(hid_t file, const char* path, hsize_t at, std::int64_t v) {
    write_element(file, path, {at}, H5T_NATIVE_INT64, &v);
}
void set_double(hid_t file, const char* path, std::vector<hsize_t> at, double v) {
    write_element(file, path, std::move(at), H5T_NATIVE_DOUBLE, &v);
}
std::vector<std::int64_t> read_ints(hid_t file, const char* path) {
    const hid_t d = H5Dopen2(file, path, H5P_DEFAULT);
    const hid_t space = H5Dget_space(d);
    std::vector<std::int64_t> v(std::size_t(H5Sget_simple_extent_npoints(space)));
    check(H5Dread(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), path);
    H5Sclose(space);
    H5Dclose(d);
    return v;
}

// Replaces the dataset at `path` by a new one of `dims` holding `data` (memtype) or zeros.
void replace(hid_t file, const char* path, std::vector<hsize_t> dims, hid_t type, const void* data = nullptr) {
    if (H5Lexists(file, path, H5P_DEFAULT) > 0) check(H5Ldelete(file, path, H5P_DEFAULT), path);
    const hid_t space = H5Screate_simple(int(dims.size()), dims.data(), nullptr);
    const hid_t d = H5Dcreate2(file, path, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0) qFatal("cannot create %s", path);
    if (data) check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), path);
    H5Dclose(d);
    H5Sclose(space);
}

void replace_strings(hid_t file, const char* path, std::int64_t count) {
    std::vector<std::string> values;
    for (std::int64_t i = 0; i < count; ++i) values.push_back("s" + std::to_string(i));
    std::vector<const char*> ptrs;
    for (const auto& s : values) ptrs.push_back(s.c_str());
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    replace(file, path, {hsize_t(count)}, type, ptrs.data());
    H5Tclose(type);
}

}  // namespace

class TstH5ad : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // A copy of a fixture with `edit` applied to it (opened read-write).
    std::string damaged(const QString& name, const std::string& fixture, const Edit& edit) {
        const std::string path = m_dir.filePath(name).toStdString();
        std::filesystem::copy_file(fixtures + fixture, path, std::filesystem::copy_options::overwrite_existing);
        if (edit) {
            const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
            if (f < 0) qFatal("cannot open %s", path.c_str());
            edit(f);
            H5Fclose(f);
        }
        return path;
    }
    std::string write(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
        f.write(bytes);
        return path.toStdString();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // the edits below check their own results
    }

    void matchesAnndata_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("label");
        QTest::newRow("dense float32") << "dense.h5ad" << "cell_type";
        QTest::newRow("csr float64") << "csr.h5ad" << "cell_type";
        QTest::newRow("csc int32") << "csc.h5ad" << "cell_type";
        QTest::newRow("dense int64, other column order") << "dense_int.h5ad" << "cell_type";
        QTest::newRow("anndata 0.7 layout") << "legacy_07.h5ad" << "cell_type";
        QTest::newRow("anndata 0.9 nullable columns") << "nullable_09.h5ad" << "cell_type";
    }
    // Every value equals what anndata.read_h5ad gives (X densified and cast to float32; obs decoded).
    void matchesAnndata() {
        QFETCH(QString, file);
        QFETCH(QString, label);
        const std::string path = fixtures + file.toStdString();
        const Dataset ds = load(path);
        QCOMPARE(ds.format, std::string("h5ad"));
        QCOMPARE(ds.source, path);

        std::int64_t rows = 0, cols = 0;
        const std::vector<float> x = golden_matrix(path + ".X.npy", rows, cols);
        QCOMPARE(ds.n, rows);
        QCOMPARE(ds.d, cols);
        QVERIFY(std::equal(x.begin(), x.end(), ds.features.begin(), ds.features.end()));  // bit for bit

        const QJsonObject g = read_json(path + ".obs.json");
        QCOMPARE(ds.row_ids, strings(g["obs_names"]));
        QCOMPARE(ds.feature_names, strings(g["var_names"]));
        const std::vector<std::string> order = strings(g["obs_order"]);
        QCOMPARE(ds.metadata.size(), order.size());
        for (std::size_t c = 0; c < order.size(); ++c) {
            const MetadataColumn& m = ds.metadata[c];
            QCOMPARE(m.name, order[c]);
            const QJsonObject gc = g["obs"].toObject()[QString::fromStdString(order[c])].toObject();
            const QString kind = gc["kind"].toString();
            QCOMPARE(QString(to_string(m.kind)), kind);
            if (kind == "categorical") {
                QCOMPARE(m.categories, strings(gc["categories"]));
                std::vector<std::int32_t> codes;
                for (const auto& v : gc["codes"].toArray()) codes.push_back(v.toInt());
                QCOMPARE(m.codes, codes);
            } else if (kind == "numeric") {
                const QJsonArray values = gc["values"].toArray();
                QCOMPARE(m.numbers.size(), std::size_t(values.size()));
                for (qsizetype i = 0; i < values.size(); ++i) {
                    if (values[i].isNull())
                        QVERIFY2(std::isnan(m.numbers[std::size_t(i)]), m.name.c_str());
                    else
                        QCOMPARE(m.numbers[std::size_t(i)], values[i].toDouble());
                }
            } else {
                QCOMPARE(m.texts, strings(gc["values"]));
            }
        }
        QVERIFY(ds.label() != nullptr);
        QCOMPARE(QString::fromStdString(ds.label()->name), label);

        const std::vector<std::string> keys = strings(g["obsm"]);
        QCOMPARE(ds.embeddings.size(), keys.size());
        for (std::size_t k = 0; k < keys.size(); ++k) {
            const PrecomputedEmbedding& e = ds.embeddings[k];
            QCOMPARE(e.name, keys[k]);
            QCOMPARE(ds.find_embedding(keys[k]), &e);
            std::int64_t er = 0, ec = 0;
            const std::vector<float> golden = golden_matrix(path + "." + keys[k] + ".npy", er, ec);
            QCOMPARE(er, ds.n);
            QCOMPARE(e.dims, ec);
            QCOMPARE(e.values, golden);
        }
    }

    // The same cells in every layout: the sparse files hold the dense int file's counts, and the
    // stored embeddings are the same arrays (X_umap 2-D, X_pca 3 columns).
    void layoutsAgree() {
        const Dataset csr = load(fixtures + "csr.h5ad");
        const Dataset csc = load(fixtures + "csc.h5ad");
        const Dataset dense = load(fixtures + "dense_int.h5ad");
        const Dataset legacy = load(fixtures + "legacy_07.h5ad");
        QVERIFY(csr.features == dense.features);
        QVERIFY(csc.features == dense.features);
        QVERIFY(legacy.features == dense.features);
        QVERIFY(dense.embeddings.empty());
        QCOMPARE(csr.find_embedding("X_umap")->dims, 2);
        QCOMPARE(csr.find_embedding("X_pca")->dims, 3);
        QCOMPARE(csr.find_embedding("X_tsne"), nullptr);
        QCOMPARE(csr.find_embedding("X_umap")->values, legacy.find_embedding("X_umap")->values);
        // Gene5 is all zero in the data; the sparse files store no value for it.
        for (std::int64_t i = 0; i < csr.n; ++i) QCOMPARE(csr.at(i, 5), 0.0f);
        QCOMPARE(detect_format("/some/where/pbmc3k.H5AD"), std::string("h5ad"));
    }

    // The sparse X as it is: CSR kept, CSC converted; both equal the densified golden.
    void sparseKeptSparse() {
        std::int64_t rows = 0, cols = 0;
        const std::vector<float> x = golden_matrix(fixtures + "csr.h5ad.X.npy", rows, cols);
        for (const char* file : {"csr.h5ad", "csc.h5ad", "legacy_07.h5ad"}) {
            const CsrMatrix m = load_h5ad_csr(fixtures + file);
            QCOMPARE(m.n, rows);
            QCOMPARE(m.d, cols);
            std::vector<float> dense(x.size(), 0.0f);
            for (std::int64_t i = 0; i < m.n; ++i)
                for (std::int64_t k = m.indptr[std::size_t(i)]; k < m.indptr[std::size_t(i + 1)]; ++k)
                    dense[std::size_t(i * m.d + m.indices[std::size_t(k)])] = m.values[std::size_t(k)];
            QVERIFY2(dense == x, file);
            std::int64_t nonzero = 0;
            for (const float v : x) nonzero += v != 0;
            QCOMPARE(m.nnz(), nonzero);  // scipy stores no zeros here
        }
        try {
            load_h5ad_csr(fixtures + "dense.h5ad");
            QFAIL("a dense X was accepted as sparse");
        } catch (const LoadError& e) {
            QVERIFY2(e.cause().find("/X: is stored dense") != std::string::npos, e.what());
        }
        // The same checks as the densifying loader.
        const std::string bad = damaged("bad_csr.h5ad", "csc.h5ad", [](hid_t f) { set_int(f, "/X/indices", 0, 40); });
        try {
            load_h5ad_csr(bad);
            QFAIL("an out-of-range index was accepted");
        } catch (const LoadError& e) {
            QVERIFY2(e.cause().find("/X/indices: entry 0 (in column 0) is 40") != std::string::npos, e.what());
        }
        // Duplicates within a row add up and the columns come out sorted (scipy's sum_duplicates).
        const std::string dup = damaged("dup.h5ad", "csr.h5ad", [](hid_t f) {
            const auto ptr = read_ints(f, "/X/indptr");
            const auto idx = read_ints(f, "/X/indices");
            QVERIFY(ptr[1] >= 3);
            set_int(f, "/X/indices", 0, idx[2]);  // row 0: its first entry moves onto its third's column
        });
        const CsrMatrix m = load_h5ad_csr(dup);
        const Dataset d = load(dup);
        for (std::int64_t k = m.indptr[0] + 1; k < m.indptr[1]; ++k) QVERIFY(m.indices[std::size_t(k)] > m.indices[std::size_t(k - 1)]);
        for (std::int64_t k = m.indptr[0]; k < m.indptr[1]; ++k) QCOMPARE(m.values[std::size_t(k)], d.at(0, m.indices[std::size_t(k)]));
        QCOMPARE(m.nnz(), std::int64_t(x.size()) - std::int64_t(std::count(x.begin(), x.end(), 0.0f)) - 1);
    }

    void labelAndArrayOptions() {
        LoadOptions o;
        o.label = "batch";
        Dataset ds = load(fixtures + "csr.h5ad", o);
        QCOMPARE(ds.label()->name, std::string("batch"));
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"1", "2"}));

        o.label = "tissue";
        try {
            load(fixtures + "csr.h5ad", o);
            QFAIL("a missing label column was accepted");
        } catch (const LoadError& e) {
            QVERIFY2(e.cause().find("'tissue' not found in /obs") != std::string::npos, e.what());
            QVERIFY2(e.cause().find("cell_type, batch, n_genes") != std::string::npos, e.what());
        }

        // obsm's PCA scores as the features.
        LoadOptions a;
        a.array = "obsm/X_pca";
        ds = load(fixtures + "dense.h5ad", a);
        QCOMPARE(ds.d, 3);
        QCOMPARE(ds.feature_names, (std::vector<std::string>{"X_pca_1", "X_pca_2", "X_pca_3"}));
        std::int64_t r = 0, c = 0;
        QCOMPARE(std::vector<float>(ds.features.begin(), ds.features.end()),
                 golden_matrix(fixtures + "dense.h5ad.X_pca.npy", r, c));
        QCOMPARE(ds.label()->name, std::string("cell_type"));

        a.array = "layers/counts";
        try {
            load(fixtures + "dense.h5ad", a);
            QFAIL("a missing layer was accepted");
        } catch (const LoadError& e) {
            QVERIFY2(e.cause().find("/layers/counts: no such matrix") != std::string::npos, e.what());
        }
    }

    void badInput_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("edit");
        QTest::addColumn<QString>("cause");  // fragments, '|'-separated, all in the message

        QTest::newRow("text, not HDF5") << "" << 0 << "not an HDF5 file";
        QTest::newRow("empty") << "" << 1 << "file is empty";
        QTest::newRow("gzipped") << "" << 2 << "gzip-compressed|gunzip";
        QTest::newRow("truncated to half") << "dense.h5ad" << 3 << "truncated|superblock";
        QTest::newRow("truncated by one byte") << "csr.h5ad" << 4 << "truncated";
        QTest::newRow("cut inside the superblock") << "csr.h5ad" << 5 << "";
        QTest::newRow("no X") << "dense.h5ad" << 10 << "/X: this AnnData file has no X matrix";
        QTest::newRow("HDF5 but not AnnData") << "" << 11 << "not an AnnData file: there is no /X|holds: weights";
        QTest::newRow("obs index shorter than X") << "csr.h5ad" << 12 << "/obs/_index: holds (39,) names|/X has 40 rows";
        QTest::newRow("var index longer than X") << "dense.h5ad" << 13 << "/var/_index: holds (13,) names|/X has 12 columns";
        QTest::newRow("CSR column index out of range") << "csr.h5ad" << 20 << "/X/indices: entry 5|is 12, outside 0..11";
        QTest::newRow("CSR indptr decreasing") << "csr.h5ad" << 21 << "/X/indptr: decreases at entry 4";
        QTest::newRow("CSR indptr not ending at nnz") << "csr.h5ad" << 22 << "/X/indptr: ends at";
        QTest::newRow("CSR indptr not starting at 0") << "csr.h5ad" << 23 << "/X/indptr: starts at 1";
        QTest::newRow("CSR indptr too short") << "csr.h5ad" << 24 << "/X/indptr: holds 40 entries|needs 41";
        QTest::newRow("CSR indices shorter than data") << "csr.h5ad" << 25 << "/X/indices: holds 3 entries but /X/data";
        QTest::newRow("CSC row index out of range") << "csc.h5ad" << 26 << "/X/indices: entry 0 (in column 0) is 40|outside 0..39";
        QTest::newRow("CSR without shape") << "csr.h5ad" << 27 << "/X: a sparse matrix needs a 'shape' attribute";
        QTest::newRow("CSR float indices") << "csr.h5ad" << 28 << "/X/indices: unsupported element type float64";
        QTest::newRow("group that is no matrix") << "csr.h5ad" << 29 << "/X: is a group that is not a sparse matrix";
        QTest::newRow("NaN in dense X") << "dense.h5ad" << 30 << "/X: NaN at row 2 (cell_02), column 3 (Gene3)";
        QTest::newRow("inf in CSR data") << "csr.h5ad" << 31 << "/X/data: inf at entry 0";
        QTest::newRow("float64 beyond float32") << "csr.h5ad" << 32 << "/X/data: value 1e+300|too large for float32";
        QTest::newRow("NaN in float64 dense X") << "dense_int.h5ad" << 33 << "/X: NaN at row 39 (cell_39), column 11 (Gene11)";
        QTest::newRow("strings as X") << "dense.h5ad" << 40 << "/X: unsupported element type string";
        QTest::newRow("1-D X") << "dense.h5ad" << 41 << "/X: expected a 2-D matrix|shape (480,)";
        QTest::newRow("compound X") << "dense.h5ad" << 42 << "/X: unsupported element type compound";
        QTest::newRow("empty X") << "dense.h5ad" << 43 << "/X: the matrix is empty";
        QTest::newRow("category code out of range") << "dense.h5ad" << 50 << "/obs/cell_type/codes: row 0 has code 5|3 categories";
        QTest::newRow("obs column too short") << "dense.h5ad" << 51 << "/obs/n_genes: holds (39,) values|X has 40 rows";
        QTest::newRow("column-order names a missing column") << "dense.h5ad" << 52 << "/obs: its column-order names 'n_genes'";
        QTest::newRow("categorical without codes") << "dense.h5ad" << 53 << "/obs/cell_type: a categorical needs";
        QTest::newRow("legacy categories out of range") << "legacy_07.h5ad" << 54 << "/obs/cell_type: row 7 has code 3";
        QTest::newRow("obsm with too few rows") << "dense.h5ad" << 60 << "/obsm/X_umap: holds (39, 2)|X has 40 rows";
        QTest::newRow("NaN in obsm") << "csr.h5ad" << 61 << "/obsm/X_pca: NaN at row 1 (cell_01), column 2";
    }
    void badInput() {
        QFETCH(QString, fixture);
        QFETCH(int, edit);
        QFETCH(QString, cause);
        const QString name = QString("bad_%1.h5ad").arg(edit);
        std::string path;
        const auto base = fixture.toStdString();
        switch (edit) {
            case 0: path = write(name, "cell,gene\n1,2\n"); break;
            case 1: path = write(name, ""); break;
            case 2: {
                QFile f(QString::fromStdString(fixtures + "dense.h5ad"));
                QVERIFY(f.open(QIODevice::ReadOnly));
                // A gzip header is enough to be recognised.
                path = write(name, QByteArray("\x1f\x8b\x08\x00", 4) + f.readAll());
                break;
            }
            case 3:
            case 4:
            case 5: {
                path = damaged(name, base, nullptr);
                const auto size = std::filesystem::file_size(path);
                std::filesystem::resize_file(path, edit == 3 ? size / 2 : edit == 4 ? size - 1 : 40);
                break;
            }
            case 10: path = damaged(name, base, [](hid_t f) { check(H5Ldelete(f, "/X", H5P_DEFAULT), "X"); }); break;
            case 11: {
                path = m_dir.filePath(name).toStdString();
                const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
                const double w[4] = {1, 2, 3, 4};
                replace(f, "/weights", {2, 2}, H5T_NATIVE_DOUBLE, w);
                H5Fclose(f);
                break;
            }
            case 12: path = damaged(name, base, [](hid_t f) { replace_strings(f, "/obs/_index", 39); }); break;
            case 13: path = damaged(name, base, [](hid_t f) { replace_strings(f, "/var/_index", 13); }); break;
            case 20: path = damaged(name, base, [](hid_t f) { set_int(f, "/X/indices", 5, 12); }); break;
            case 21:
                path = damaged(name, base, [](hid_t f) {
                    const auto ptr = read_ints(f, "/X/indptr");
                    set_int(f, "/X/indptr", 4, ptr[3] - 1);
                });
                break;
            case 22:
                path = damaged(name, base, [](hid_t f) {
                    const auto ptr = read_ints(f, "/X/indptr");
                    set_int(f, "/X/indptr", ptr.size() - 1, ptr.back() + 1);
                });
                break;
            case 23: path = damaged(name, base, [](hid_t f) { set_int(f, "/X/indptr", 0, 1); }); break;
            case 24:
                path = damaged(name, base, [](hid_t f) {
                    const auto ptr = read_ints(f, "/X/indptr");
                    replace(f, "/X/indptr", {40}, H5T_NATIVE_INT64, ptr.data());
                });
                break;
            case 25:
                path = damaged(name, base, [](hid_t f) {
                    const std::int64_t v[3] = {0, 1, 2};
                    replace(f, "/X/indices", {3}, H5T_NATIVE_INT64, v);
                });
                break;
            case 26: path = damaged(name, base, [](hid_t f) { set_int(f, "/X/indices", 0, 40); }); break;
            case 27: path = damaged(name, base, [](hid_t f) { check(H5Adelete_by_name(f, "/X", "shape", H5P_DEFAULT), "shape"); }); break;
            case 28:
                path = damaged(name, base, [](hid_t f) {
                    const auto idx = read_ints(f, "/X/indices");
                    std::vector<double> v(idx.begin(), idx.end());
                    replace(f, "/X/indices", {hsize_t(v.size())}, H5T_NATIVE_DOUBLE, v.data());
                });
                break;
            case 29:
                path = damaged(name, base, [](hid_t f) {
                    check(H5Adelete_by_name(f, "/X", "encoding-type", H5P_DEFAULT), "encoding-type");
                });
                break;
            case 30: path = damaged(name, base, [](hid_t f) { set_double(f, "/X", {2, 3}, std::nan("")); }); break;
            case 31:
                path = damaged(name, base, [](hid_t f) {
                    set_double(f, "/X/data", {0}, std::numeric_limits<double>::infinity());
                });
                break;
            case 32: path = damaged(name, base, [](hid_t f) { set_double(f, "/X/data", {7}, 1e300); }); break;
            case 33:
                path = damaged(name, base, [](hid_t f) {
                    std::vector<double> v(40 * 12, 1.0);
                    v.back() = std::nan("");
                    replace(f, "/X", {40, 12}, H5T_NATIVE_DOUBLE, v.data());
                });
                break;
            case 40:
                path = damaged(name, base, [](hid_t f) {
                    const hid_t t = H5Tcopy(H5T_C_S1);
                    H5Tset_size(t, 4);
                    replace(f, "/X", {40, 12}, t);
                    H5Tclose(t);
                });
                break;
            case 41: path = damaged(name, base, [](hid_t f) { replace(f, "/X", {480}, H5T_NATIVE_FLOAT); }); break;
            case 42:
                path = damaged(name, base, [](hid_t f) {
                    const hid_t t = H5Tcreate(H5T_COMPOUND, 8);
                    H5Tinsert(t, "re", 0, H5T_NATIVE_FLOAT);
                    H5Tinsert(t, "im", 4, H5T_NATIVE_FLOAT);
                    replace(f, "/X", {40, 12}, t);
                    H5Tclose(t);
                });
                break;
            case 43: path = damaged(name, base, [](hid_t f) { replace(f, "/X", {40, 0}, H5T_NATIVE_FLOAT); }); break;
            case 50: path = damaged(name, base, [](hid_t f) { set_int(f, "/obs/cell_type/codes", 0, 5); }); break;
            case 51: path = damaged(name, base, [](hid_t f) { replace(f, "/obs/n_genes", {39}, H5T_NATIVE_INT64); }); break;
            case 52: path = damaged(name, base, [](hid_t f) { check(H5Ldelete(f, "/obs/n_genes", H5P_DEFAULT), "n_genes"); }); break;
            case 53:
                path = damaged(name, base, [](hid_t f) {
                    check(H5Ldelete(f, "/obs/cell_type/codes", H5P_DEFAULT), "codes");
                });
                break;
            case 54: path = damaged(name, base, [](hid_t f) { set_int(f, "/obs/cell_type", 7, 3); }); break;
            case 60: path = damaged(name, base, [](hid_t f) { replace(f, "/obsm/X_umap", {39, 2}, H5T_NATIVE_FLOAT); }); break;
            case 61: path = damaged(name, base, [](hid_t f) { set_double(f, "/obsm/X_pca", {1, 2}, std::nan("")); }); break;
            default: QFAIL("unknown edit");
        }
        try {
            const Dataset ds = load(path);
            QFAIL(qPrintable("accepted; loaded " + QString::number(ds.n) + " rows"));
        } catch (const LoadError& e) {
            qInfo("%s", e.what());
            QCOMPARE(e.file(), path);
            const std::string what = e.what();
            QVERIFY2(what.starts_with(path), e.what());
            if (!cause.isEmpty())
                for (const QString& part : cause.split('|'))
                    QVERIFY2(e.cause().find(part.toStdString()) != std::string::npos, e.what());
        }
    }

    // A half-damaged file never yields a dataset: every truncation point is an error, not a crash
    // or a partly filled matrix.
    void everyTruncationFails() {
        const std::string path = m_dir.filePath("cut.h5ad").toStdString();
        const auto size = std::filesystem::file_size(fixtures + "csr.h5ad");
        for (std::uintmax_t cut = 1; cut < size; cut += 997) {
            std::filesystem::copy_file(fixtures + "csr.h5ad", path, std::filesystem::copy_options::overwrite_existing);
            std::filesystem::resize_file(path, cut);
            try {
                load(path);
                QFAIL(qPrintable(QString("a file cut at byte %1 loaded").arg(cut)));
            } catch (const LoadError& e) {
                QCOMPARE(e.file(), path);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TstH5ad)
#include "tst_h5ad.moc"
