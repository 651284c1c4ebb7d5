#include "session/Session.h"

#include "common/error.h"
#include "common/file_io.h"
#include "data/columns.h"
#include "data/dataset.h"
#include "data/load.h"
#include "data/write.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>


#include <cmath>
#include <memory>
#include <vector>

namespace latentscape::ui {
namespace {

[[noreturn]] void fail(const QString& path, const QString& cause) {
    throw SessionError(QStringLiteral("%1: %2").arg(path, cause).toStdString());
}

template <std::size_t N>
QJsonArray toArray(const std::array<double, N>& a) {
    QJsonArray out;
    for (double v : a) out.append(v);
    return out;
}

/// The fields of a JSON object, each checked: a missing or mistyped one names itself.
class Reader {
public:
    Reader(QString path, QJsonObject object, QString where) : m_path(std::move(path)), m_o(std::move(object)), m_where(std::move(where)) {}
    QJsonValue value(const char* key) const {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined()) fail(m_path, QStringLiteral("%1 has no \"%2\"").arg(m_where, QLatin1String(key)));
        return v;
    }
    QString string(const char* key) const {
        const QJsonValue v = value(key);
        if (!v.isString()) fail(m_path, QStringLiteral("%1.%2 is not text").arg(m_where, QLatin1String(key)));
        return v.toString();
    }
    double number(const char* key) const {
        const QJsonValue v = value(key);
        if (!v.isDouble() || !std::isfinite(v.toDouble()))
            fail(m_path, QStringLiteral("%1.%2 is not a number").arg(m_where, QLatin1String(key)));
        return v.toDouble();
    }
    std::int64_t integer(const char* key, std::int64_t lo, std::int64_t hi) const {
        const double v = number(key);
        if (v != std::floor(v) || v < double(lo) || v > double(hi))
            fail(m_path, QStringLiteral("%1.%2 (%3) is not a whole number in [%4, %5]")
                             .arg(m_where, QLatin1String(key)).arg(v).arg(lo).arg(hi));
        return std::int64_t(v);
    }
    bool boolean(const char* key) const {
        const QJsonValue v = value(key);
        if (!v.isBool()) fail(m_path, QStringLiteral("%1.%2 is not true or false").arg(m_where, QLatin1String(key)));
        return v.toBool();
    }
    QJsonArray array(const char* key) const {
        const QJsonValue v = value(key);
        if (!v.isArray()) fail(m_path, QStringLiteral("%1.%2 is not a list").arg(m_where, QLatin1String(key)));
        return v.toArray();
    }
    Reader object(const char* key) const {
        const QJsonValue v = value(key);
        if (!v.isObject()) fail(m_path, QStringLiteral("%1.%2 is not an object").arg(m_where, QLatin1String(key)));
        return Reader(m_path, v.toObject(), m_where + QLatin1Char('.') + QLatin1String(key));
    }
    template <std::size_t N>
    std::array<double, N> numbers(const char* key) const {
        const QJsonArray a = array(key);
        if (a.size() != qsizetype(N)) fail(m_path, QStringLiteral("%1.%2 needs %3 numbers").arg(m_where, QLatin1String(key)).arg(N));
        std::array<double, N> out{};
        for (std::size_t i = 0; i < N; ++i) {
            if (!a[qsizetype(i)].isDouble()) fail(m_path, QStringLiteral("%1.%2 holds a non-number").arg(m_where, QLatin1String(key)));
            out[i] = a[qsizetype(i)].toDouble();
        }
        return out;
    }
    const QJsonObject& raw() const { return m_o; }

private:
    QString m_path;
    QJsonObject m_o;
    QString m_where;
};

}  // namespace

namespace {
/// Sidecars of a session file: "<file name>.<12 hex digits>.embedding.npy" and
/// "<file name>.<12 hex digits>.model.lsae" in its folder.
QStringList sidecarsOf(const QString& sessionPath) {
    const QFileInfo info(sessionPath);
    return info.dir().entryList({info.fileName() + QStringLiteral(".*.embedding.npy"), info.fileName() + QStringLiteral(".*.model.lsae")},
                                QDir::Files);
}

/// Writes a run's embedding as "<session>.<hash>.embedding.npy" (named by its content: the JSON
/// names it, so a crash before the JSON is committed leaves the old session with its own, still
/// present, sidecar). Returns the sidecar's file name.
QString writeEmbeddingSidecar(const SessionRun& run, std::int64_t rows, const QString& path) {
    const QByteArray bytes(reinterpret_cast<const char*>(run.embedding.data()), qsizetype(run.embedding.size() * sizeof(float)));
    const QString digest = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    const QString name = QFileInfo(path).fileName() + QLatin1Char('.') + digest.left(12) + QStringLiteral(".embedding.npy");
    const QString sidecar = QFileInfo(path).dir().filePath(name);
    data::Dataset e;
    e.n = rows;
    e.d = run.dims;
    e.features.assign(run.embedding.begin(), run.embedding.end());
    for (int j = 0; j < run.dims; ++j) e.feature_names.push_back(run.method.toStdString() + std::to_string(j + 1));
    e.source = "session";
    e.format = "npy";
    try {
        e.check_consistent();
        data::write_npy(e, sidecar.toStdString());
    } catch (const std::exception& ex) {
        fail(path, QStringLiteral("cannot write the embedding of run \"%1\": %2").arg(run.name, QString::fromUtf8(ex.what())));
    }
    return name;
}

/// Writes a run's network as "<session>.<hash>.model.lsae" (written to a temporary name, hashed,
/// then renamed to its content's name). Returns the sidecar's file name.
QString writeModelSidecar(const SessionRun& run, const QString& path) {
    const QDir dir = QFileInfo(path).dir();
    const QString temporary = dir.filePath(QFileInfo(path).fileName() + QStringLiteral(".writing.model.lsae.tmp"));
    try {
        run.model->save(temporary.toStdString());
    } catch (const std::exception& ex) {
        QFile::remove(temporary);
        fail(path, QStringLiteral("cannot write the network of run \"%1\": %2").arg(run.name, QString::fromUtf8(ex.what())));
    }
    const QString digest = fileSha256(temporary);
    const QString name = QFileInfo(path).fileName() + QLatin1Char('.') + digest.left(12) + QStringLiteral(".model.lsae");
    QFile::remove(dir.filePath(name));  // the same content saved before: replace it
    if (!QFile::rename(temporary, dir.filePath(name))) {
        QFile::remove(temporary);
        fail(path, QStringLiteral("cannot write the network of run \"%1\" (rename failed)").arg(run.name));
    }
    return name;
}
}  // namespace

void removeSession(const QString& path) {
    for (const QString& name : sidecarsOf(path)) QFile::remove(QFileInfo(path).dir().filePath(name));
    QFile::remove(path);
}

void writeSession(const Session& s, const QString& path) {
    QJsonObject root;
    root.insert(QStringLiteral("format"), QStringLiteral("latentscape-session"));
    root.insert(QStringLiteral("version"), Session::formatVersion);
    root.insert(QStringLiteral("dataset"), QJsonObject{{QStringLiteral("path"), s.datasetPath},
                                                       {QStringLiteral("sha256"), s.datasetSha256},
                                                       {QStringLiteral("rows"), double(s.rows)},
                                                       {QStringLiteral("features"), double(s.features)},
                                                       {QStringLiteral("missing"), int(s.loadOptions.missing)}});
    if (const QJsonObject options = loadOptionsToJson(s.loadOptions); !options.isEmpty()) {
        QJsonObject dataset = root.value(QStringLiteral("dataset")).toObject();
        dataset.insert(QStringLiteral("load_options"), options);
        root.insert(QStringLiteral("dataset"), dataset);
    }
    // A separate labels file (an .npy's, e.g. from latentscape.show or --labels): the label column
    // comes back with the rows. Kept out of loadOptionsToJson, which also remembers per-file
    // choices: a labels file belongs to one opening, not to every later one of the file.
    if (s.loadOptions.labels_path) {
        QJsonObject dataset = root.value(QStringLiteral("dataset")).toObject();
        dataset.insert(QStringLiteral("labels"), QFileInfo(QFile::decodeName(QByteArray::fromStdString(*s.loadOptions.labels_path)))
                                                    .absoluteFilePath());
        root.insert(QStringLiteral("dataset"), dataset);
    }
    QStringList written;  // the sidecars this save names
    QJsonArray runs;
    for (const SessionRun& run : s.runs) {
        const QString embedding = writeEmbeddingSidecar(run, s.rows, path);
        written << embedding;
        QJsonObject r{{QStringLiteral("name"), run.name},
                      {QStringLiteral("method"), run.method},
                      {QStringLiteral("spec"), run.spec},
                      {QStringLiteral("state"), run.state},
                      {QStringLiteral("dims"), run.dims},
                      {QStringLiteral("iterations"), run.iterations},
                      {QStringLiteral("seconds"), run.seconds},
                      {QStringLiteral("metrics"), run.metrics},
                      {QStringLiteral("embedding"), embedding},
                      {QStringLiteral("embedding_sha256"), fileSha256(QFileInfo(path).dir().filePath(embedding))}};
        if (run.model) {
            const QString model = writeModelSidecar(run, path);
            written << model;
            r.insert(QStringLiteral("model"), model);
            r.insert(QStringLiteral("model_sha256"), fileSha256(QFileInfo(path).dir().filePath(model)));
        }
        runs.append(r);
    }
    root.insert(QStringLiteral("runs"), runs);
    root.insert(QStringLiteral("current_run"), s.currentRun);
    QJsonArray columns;
    for (const SessionColumn& c : s.columns) {
        QJsonArray codes;
        for (std::int32_t v : c.codes) codes.append(v);
        columns.append(QJsonObject{{QStringLiteral("name"), c.name},
                                   {QStringLiteral("categories"), QJsonArray::fromStringList(c.categories)},
                                   {QStringLiteral("codes"), codes}});
    }
    root.insert(QStringLiteral("columns"), columns);
    QJsonArray selection;
    for (std::int64_t i : s.selection) selection.append(double(i));
    root.insert(QStringLiteral("selection"), selection);
    QJsonArray hidden;
    for (std::int32_t c : s.hidden) hidden.append(c);
    const auto cameraJson = [](const SessionCamera& c) {
        return QJsonObject{{QStringLiteral("position"), toArray(c.position)},
                           {QStringLiteral("focal_point"), toArray(c.focalPoint)},
                           {QStringLiteral("view_up"), toArray(c.viewUp)},
                           {QStringLiteral("parallel_scale"), c.parallelScale},
                           {QStringLiteral("view_angle"), c.viewAngle},
                           {QStringLiteral("parallel"), c.parallel},
                           {QStringLiteral("clipping_range"), toArray(c.clippingRange)}};
    };
    QJsonArray compareCameras;
    for (const SessionCamera& c : s.compareCameras) compareCameras.append(cameraJson(c));
    root.insert(QStringLiteral("view"),
                QJsonObject{{QStringLiteral("plot"), s.plotEmbedding ? QStringLiteral("embedding") : QStringLiteral("features")},
                            {QStringLiteral("x_feature"), s.xFeature},
                            {QStringLiteral("y_feature"), s.yFeature},
                            {QStringLiteral("colour_column"), s.colourColumn},
                            {QStringLiteral("colour_feature"), s.colourFeature},
                            {QStringLiteral("colour_map"), s.colourMap},
                            {QStringLiteral("hidden"), hidden},
                            {QStringLiteral("dimming"), s.dimming},
                            {QStringLiteral("dark"), s.dark},
                            {QStringLiteral("point_size"), s.pointSize},
                            {QStringLiteral("opacity"), s.opacity},
                            {QStringLiteral("perspective"), s.perspective},
                            {QStringLiteral("size"), QJsonArray{s.viewSize.width(), s.viewSize.height()}},
                            {QStringLiteral("compare"), [&s] {
                                 QJsonArray panes;
                                 for (int i : s.comparePanes) panes.append(i);
                                 return panes;
                             }()},
                            {QStringLiteral("compare_cameras"), compareCameras},
                            {QStringLiteral("camera"), cameraJson(s.camera)}});
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) fail(path, QStringLiteral("cannot be written (%1)").arg(file.errorString()));
    // Compact: the columns and the selection hold a number per row.
    const QByteArray json = QJsonDocument(root).toJson(QJsonDocument::Compact);
    // A short write (a full disk) must not be committed: QSaveFile would still rename it.
    if (file.write(json) != json.size()) {
        file.cancelWriting();
        fail(path, QStringLiteral("cannot be written (%1)").arg(file.errorString()));
    }
    if (!file.commit()) fail(path, QStringLiteral("cannot be written (%1)").arg(file.errorString()));
    // Only now may earlier saves' sidecars go.
    for (const QString& name : sidecarsOf(path))
        if (!written.contains(name)) QFile::remove(QFileInfo(path).dir().filePath(name));
}

namespace {

std::vector<float> readEmbeddingSidecar(const QString& path, const Reader& run, std::int64_t rows, int dims) {
    const QString sidecar = QFileInfo(path).dir().filePath(run.string("embedding"));
    if (!QFileInfo::exists(sidecar)) fail(path, QStringLiteral("its embedding %1 is missing").arg(sidecar));
    if (fileSha256(sidecar) != run.string("embedding_sha256"))
        fail(path, QStringLiteral("its embedding %1 is not the one it was saved with (SHA-256 differs)").arg(sidecar));
    try {
        const data::Dataset e = data::load_npy(sidecar.toStdString());
        if (e.n != rows || e.d != dims)
            fail(path, QStringLiteral("its embedding %1 is %2 x %3, expected %4 x %5").arg(sidecar).arg(e.n).arg(e.d).arg(rows).arg(dims));
        return std::vector<float>(e.features.begin(), e.features.end());
    } catch (const LoadError& ex) {
        fail(path, QStringLiteral("its embedding cannot be read: %1").arg(QString::fromUtf8(ex.what())));
    }
}

std::shared_ptr<const reduce::autoencoder::Model> readModelSidecar(const QString& path, const Reader& run) {
    const QString sidecar = QFileInfo(path).dir().filePath(run.string("model"));
    if (!QFileInfo::exists(sidecar)) fail(path, QStringLiteral("its network %1 is missing").arg(sidecar));
    if (fileSha256(sidecar) != run.string("model_sha256"))
        fail(path, QStringLiteral("its network %1 is not the one it was saved with (SHA-256 differs)").arg(sidecar));
    try {
        return std::make_shared<const reduce::autoencoder::Model>(reduce::autoencoder::Model::load(sidecar.toStdString()));
    } catch (const std::exception& ex) {
        fail(path, QStringLiteral("its network cannot be read: %1").arg(QString::fromUtf8(ex.what())));
    }
}

}  // namespace

Session readSession(const QString& path) {
    requireRegularFile(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) fail(path, QStringLiteral("cannot be opened (%1)").arg(file.errorString()));
    if (file.size() > (std::int64_t(1) << 30)) fail(path, QStringLiteral("is larger than 1 GB: not a session file"));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        fail(path, QStringLiteral("is not valid JSON at byte %1 (%2)").arg(error.offset).arg(error.errorString()));
    if (!doc.isObject()) fail(path, QStringLiteral("is not a session (no JSON object)"));
    const Reader root(path, doc.object(), QStringLiteral("session"));
    if (root.raw().value(QStringLiteral("format")).toString() != QLatin1String("latentscape-session"))
        fail(path, QStringLiteral("is not a Latentscape session (its \"format\" is not \"latentscape-session\")"));
    const std::int64_t version = root.integer("version", 1, 1 << 20);
    if (version > Session::formatVersion)
        fail(path, QStringLiteral("has session format version %1; this Latentscape reads up to %2 (a newer version wrote it)")
                       .arg(version).arg(Session::formatVersion));

    Session s;
    const Reader ds = root.object("dataset");
    s.datasetPath = ds.string("path");
    s.datasetSha256 = ds.string("sha256");
    s.rows = ds.integer("rows", 1, std::int64_t(1) << 40);
    s.features = ds.integer("features", 0, std::int64_t(1) << 30);
    // Absent in the first files written: the default policy.
    s.loadOptions.missing =
        data::MissingPolicy(ds.raw().contains(QStringLiteral("missing")) ? int(ds.integer("missing", 0, 2)) : 0);
    // Absent before column roles (issue 15): the defaults, as those files were loaded.
    if (ds.raw().contains(QStringLiteral("load_options"))) {
        try {
            s.loadOptions = loadOptionsFromJson(ds.object("load_options").raw(), QStringLiteral("session.dataset.load_options"),
                                                s.loadOptions);
        } catch (const SessionError& e) {
            fail(path, QString::fromStdString(e.what()));
        }
    }
    if (ds.raw().contains(QStringLiteral("labels"))) {
        const QJsonValue labels = ds.raw().value(QStringLiteral("labels"));
        if (!labels.isString() || labels.toString().isEmpty())
            fail(path, QStringLiteral("session.dataset.labels is not the path of a labels file"));
        s.loadOptions.labels_path = QFile::encodeName(labels.toString()).toStdString();
    }

    if (version >= 2) {
        const QJsonArray runs = root.array("runs");
        for (qsizetype i = 0; i < runs.size(); ++i) {
            const QString where = QStringLiteral("session.runs[%1]").arg(i);
            if (!runs[i].isObject()) fail(path, QStringLiteral("%1 is not an object").arg(where));
            const Reader run(path, runs[i].toObject(), where);
            SessionRun r;
            r.name = run.string("name");
            r.method = run.string("method");
            r.spec = run.object("spec").raw();
            r.state = run.string("state");
            r.dims = int(run.integer("dims", 2, 3));
            r.iterations = int(run.integer("iterations", 0, 1 << 30));
            r.seconds = run.number("seconds");
            r.metrics = run.object("metrics").raw();
            r.embedding = readEmbeddingSidecar(path, run, s.rows, r.dims);
            if (run.raw().contains(QStringLiteral("model"))) r.model = readModelSidecar(path, run);
            s.runs.push_back(std::move(r));
        }
        s.currentRun = int(root.integer("current_run", -1, std::int64_t(s.runs.size()) - 1));
    } else if (root.raw().contains(QStringLiteral("run"))) {
        // Version 1: the shown run only, with a few of its options.
        const Reader run = root.object("run");
        SessionRun r;
        r.method = run.string("method");
        r.name = r.method;
        r.dims = int(run.integer("dims", 2, 3));
        r.iterations = int(run.integer("iterations", 0, 1 << 30));
        r.spec = run.object("options").raw();
        const QString method = r.method == QLatin1String("PCA")    ? QStringLiteral("pca")
                               : r.method == QLatin1String("t-SNE") ? QStringLiteral("tsne")
                               : r.method == QLatin1String("VAE")   ? QStringLiteral("vae")
                                                                    : QStringLiteral("autoencoder");
        r.spec.insert(QStringLiteral("method"), method);
        r.spec.insert(QStringLiteral("dims"), r.dims);
        if (r.spec.contains(QStringLiteral("batch"))) r.spec.insert(QStringLiteral("batch_size"), r.spec.take(QStringLiteral("batch")));
        r.spec.remove(QStringLiteral("variational"));
        r.embedding = readEmbeddingSidecar(path, run, s.rows, r.dims);
        s.runs.push_back(std::move(r));
        s.currentRun = 0;
    }
    for (const QJsonValue& v : root.array("columns")) {
        if (!v.isObject()) fail(path, QStringLiteral("session.columns holds a non-object"));
        const Reader c(path, v.toObject(), QStringLiteral("column"));
        SessionColumn col;
        col.name = c.string("name");
        for (const QJsonValue& name : c.array("categories")) col.categories << name.toString();
        const QJsonArray codes = c.array("codes");
        if (codes.size() != s.rows) fail(path, QStringLiteral("column \"%1\" has %2 codes for %3 rows").arg(col.name).arg(codes.size()).arg(s.rows));
        col.codes.reserve(std::size_t(codes.size()));
        for (const QJsonValue& code : codes) {
            const double d = code.toDouble(-2);
            if (d < -1 || d >= col.categories.size() || d != std::floor(d))
                fail(path, QStringLiteral("column \"%1\" holds a code outside its categories").arg(col.name));
            col.codes.push_back(std::int32_t(d));
        }
        s.columns.push_back(std::move(col));
    }
    for (const QJsonValue& v : root.array("selection")) {
        const double i = v.toDouble(-1);
        if (i < 0 || i >= double(s.rows) || i != std::floor(i)) fail(path, QStringLiteral("the selection holds a row outside the data"));
        s.selection.push_back(std::int64_t(i));
    }
    const Reader view = root.object("view");
    s.plotEmbedding = view.string("plot") == QLatin1String("embedding") && s.shownRun();
    s.xFeature = int(view.integer("x_feature", 0, std::max<std::int64_t>(0, s.features - 1)));
    s.yFeature = int(view.integer("y_feature", 0, std::max<std::int64_t>(0, s.features - 1)));
    s.colourColumn = view.string("colour_column");
    s.colourFeature = int(view.integer("colour_feature", -1, s.features - 1));
    s.colourMap = view.string("colour_map");
    for (const QJsonValue& v : view.array("hidden")) s.hidden.push_back(std::int32_t(v.toInt(-1)));
    s.dimming = view.number("dimming");
    s.dark = view.boolean("dark");
    s.pointSize = view.number("point_size");
    s.opacity = view.number("opacity");
    if (!(s.dimming >= 0 && s.dimming <= 0.95)) fail(path, QStringLiteral("view.dimming (%1) is outside [0, 0.95]").arg(s.dimming));
    if (!(s.pointSize >= 1 && s.pointSize <= 64)) fail(path, QStringLiteral("view.point_size (%1) is outside [1, 64]").arg(s.pointSize));
    if (!(s.opacity > 0 && s.opacity <= 1)) fail(path, QStringLiteral("view.opacity (%1) is outside (0, 1]").arg(s.opacity));
    s.perspective = view.boolean("perspective");
    const QJsonArray size = view.array("size");
    if (size.size() == 2) s.viewSize = QSize(size[0].toInt(-1), size[1].toInt(-1));
    if (s.viewSize.width() < 1 || s.viewSize.height() < 1 || s.viewSize.width() > 30000 || s.viewSize.height() > 30000)
        fail(path, QStringLiteral("view.size must be two whole numbers in [1, 30000]"));
    if (view.raw().contains(QStringLiteral("compare"))) {  // absent before the compare views
        const QJsonArray panes = view.array("compare");
        if (panes.size() > 3) fail(path, QStringLiteral("view.compare lists more than 3 panes"));
        for (const QJsonValue& v : panes) {
            const double i = v.toDouble(-2);
            if (i < -1 || i >= double(s.runs.size()) || i != std::floor(i))
                fail(path, QStringLiteral("view.compare names a run that is not in the session"));
            s.comparePanes.push_back(int(i));
        }
    }
    // A camera that can look at something: finite, apart from its focal point, an up direction
    // not along the view, a positive scale or angle, and a depth range in front of it.
    const auto readCamera = [&path](const Reader& cam, const QString& where) {
        SessionCamera c;
        c.position = cam.numbers<3>("position");
        c.focalPoint = cam.numbers<3>("focal_point");
        c.viewUp = cam.numbers<3>("view_up");
        c.parallelScale = cam.number("parallel_scale");
        c.viewAngle = cam.number("view_angle");
        c.parallel = cam.boolean("parallel");
        c.clippingRange = cam.numbers<2>("clipping_range");
        bool finite = std::isfinite(c.parallelScale) && std::isfinite(c.viewAngle);
        for (double v : {c.position[0], c.position[1], c.position[2], c.focalPoint[0], c.focalPoint[1], c.focalPoint[2],
                         c.viewUp[0], c.viewUp[1], c.viewUp[2], c.clippingRange[0], c.clippingRange[1]})
            finite = finite && std::isfinite(v) && std::abs(v) < 1e30;
        const double dx = c.position[0] - c.focalPoint[0], dy = c.position[1] - c.focalPoint[1], dz = c.position[2] - c.focalPoint[2];
        const double cx = c.viewUp[1] * dz - c.viewUp[2] * dy, cy = c.viewUp[2] * dx - c.viewUp[0] * dz, cz = c.viewUp[0] * dy - c.viewUp[1] * dx;
        if (!finite || dx * dx + dy * dy + dz * dz <= 0 || cx * cx + cy * cy + cz * cz <= 0 || !(c.parallelScale > 0) ||
            !(c.viewAngle > 0 && c.viewAngle < 180) || !(c.clippingRange[0] > 0 && c.clippingRange[1] > c.clippingRange[0]))
            fail(path, QStringLiteral("%1 is not a usable camera").arg(where));
        return c;
    };
    s.camera = readCamera(view.object("camera"), QStringLiteral("view.camera"));
    if (view.raw().contains(QStringLiteral("compare_cameras"))) {  // absent before pane cameras were kept
        const QJsonArray cameras = view.array("compare_cameras");
        if (cameras.size() != qsizetype(s.comparePanes.size()))
            fail(path, QStringLiteral("view.compare_cameras has %1 cameras for %2 compare panes")
                           .arg(cameras.size())
                           .arg(s.comparePanes.size()));
        for (qsizetype i = 0; i < cameras.size(); ++i)
            s.compareCameras.push_back(readCamera(Reader(path, cameras[i].toObject(), QStringLiteral("view.compare_cameras[%1]").arg(i)),
                                                  QStringLiteral("view.compare_cameras[%1]").arg(i)));
    }
    return s;
}

std::array<double, 16> cameraMatrix(const SessionCamera& c, double aspect) {
    using M = std::array<double, 16>;
    auto mul = [](const M& a, const M& b) {
        M r{};
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j)
                for (int k = 0; k < 4; ++k) r[std::size_t(4 * i + j)] += a[std::size_t(4 * i + k)] * b[std::size_t(4 * k + j)];
        return r;
    };
    auto normalize = [](std::array<double, 3> v) {
        const double n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (n > 0)
            for (double& x : v) x /= n;
        return v;
    };
    auto cross = [](const std::array<double, 3>& a, const std::array<double, 3>& b) {
        return std::array<double, 3>{a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    };
    // View: vtkPerspectiveTransform::SetupCamera (rows sideways, up, plane normal; then -position).
    const std::array<double, 3> normal = normalize({c.position[0] - c.focalPoint[0], c.position[1] - c.focalPoint[1],
                                                    c.position[2] - c.focalPoint[2]});
    const std::array<double, 3> side = normalize(cross(c.viewUp, normal));
    const std::array<double, 3> up = normalize(cross(normal, side));
    M view{side[0], side[1], side[2], 0, up[0], up[1], up[2], 0, normal[0], normal[1], normal[2], 0, 0, 0, 0, 1};
    const M translate{1, 0, 0, -c.position[0], 0, 1, 0, -c.position[1], 0, 0, 1, -c.position[2], 0, 0, 0, 1};
    view = mul(view, translate);
    // Projection: vtkCamera::ComputeProjectionTransform with the window centre at (0, 0).
    const double n = c.clippingRange[0], f = c.clippingRange[1];
    M p{};
    if (c.parallel) {
        const double w = c.parallelScale * aspect, h = c.parallelScale;
        const double xmin = -w, xmax = w, ymin = -h, ymax = h;
        p = {2 / (xmax - xmin), 0, 0, -(xmin + xmax) / (xmax - xmin), 0, 2 / (ymax - ymin), 0, -(ymin + ymax) / (ymax - ymin),
             0, 0, -2 / (f - n), -(n + f) / (f - n), 0, 0, 0, 1};
    } else {
        const double t = std::tan(c.viewAngle * M_PI / 360.0);
        const double w = n * t * aspect, h = n * t;
        const double xmin = -w, xmax = w, ymin = -h, ymax = h;
        p = {2 * n / (xmax - xmin), 0, (xmin + xmax) / (xmax - xmin), 0, 0, 2 * n / (ymax - ymin), (ymin + ymax) / (ymax - ymin), 0,
             0, 0, -(n + f) / (f - n), -2 * n * f / (f - n), 0, 0, -1, 0};
    }
    return mul(p, view);
}

}  // namespace latentscape::ui
