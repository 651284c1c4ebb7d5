#pragma once
/// @file Session files (`.latentscape`): what is needed to reopen a document exactly, without
/// recomputing (DESIGN.md section 2): every run with its full options, its embedding and (for the
/// autoencoder and VAE) its trained network, so the Decoder works after reopening. JSON with a
/// format version; each embedding goes to a sidecar `<session>.<hash>.embedding.npy` and each
/// network to `<session>.<hash>.model.lsae` next to it, named by content and checked by SHA-256
/// when read, so a session never pairs with another save's files.
///
///     { "format": "latentscape-session", "version": 2,
///       "dataset": { "path", "sha256", "rows", "features", "missing",
///                    ["load_options": { "label", "delimiter", "header", "skip_rows", "comment",
///                                       "roles": { column: "feature"|"label"|"metadata"|"ignore" } }] },
///       "runs": [ { "name", "method", "spec": {RunSpec::toJson()}, "state", "dims", "iterations",
///                   "seconds", "metrics": {...}, "embedding": "<sidecar>", "embedding_sha256",
///                   ["model": "<sidecar>", "model_sha256"] } ],
///       "current_run": index into runs, or -1,
///       "columns": [ { "name": "cluster", "categories": [...], "codes": [...] } ],   // derived ones
///       "selection": [ row ids ],
///       "view": { "plot", "x_feature", "y_feature", "colour_column", "colour_feature",
///                 "colour_map", "hidden": [codes], "dimming", "dark", "point_size", "opacity",
///                 "perspective", "camera": { "position", "focal_point", "view_up",
///                 "parallel_scale", "view_angle", "parallel", "clipping_range" },
///                 "size": [w, h],
///                 "compare": [run index per compare pane 1..3, -1: none],
///                 "compare_cameras": [ a camera as above per compare pane ] } }
///
/// Version 1 files (one "run" with a few options) are still read, as one run.

#include <QJsonObject>
#include <QSize>
#include <QString>
#include <QStringList>

#include "data/load.h"
#include "reduce/autoencoder.h"

#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

namespace latentscape::ui {

/// A session file that cannot be read: the message names the file and the cause.
class SessionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct SessionCamera {
    std::array<double, 3> position{0, 0, 1};
    std::array<double, 3> focalPoint{0, 0, 0};
    std::array<double, 3> viewUp{0, 1, 0};
    double parallelScale = 1.0;
    double viewAngle = 30.0;
    bool parallel = true;
    std::array<double, 2> clippingRange{0.1, 1000.0};
};

/// A categorical column made in the app (clusters, groups): not in the dataset's file.
struct SessionColumn {
    QString name;
    QStringList categories;
    std::vector<std::int32_t> codes;  ///< one per row, -1 = none
};

/// One run of the session.
struct SessionRun {
    QString name;
    QString method;          ///< "PCA", "t-SNE", "Autoencoder" or "VAE"
    QJsonObject spec;        ///< every option, seed included (RunSpec::toJson())
    QString state = QStringLiteral("done");  ///< "done" or "canceled"
    int dims = 2;
    int iterations = 0;
    double seconds = 0.0;
    QJsonObject metrics;     ///< the run's neighbourhood figures; empty if none
    std::vector<float> embedding;  ///< rows x dims
    /// The trained network (autoencoder, VAE); null for other methods.
    std::shared_ptr<const reduce::autoencoder::Model> model;
};

struct Session {
    static constexpr int formatVersion = 2;

    QString datasetPath;     ///< absolute
    QString datasetSha256;   ///< hex of the file's bytes as stored on disk
    std::int64_t rows = 0;
    std::int64_t features = 0;
    /// The options the dataset was loaded with (missing-value policy, text-table layout, column
    /// roles): reopening reads the same rows and columns. JSON: dataset.missing (the policy) and
    /// dataset.load_options (the rest; absent in older files: the defaults).
    data::LoadOptions loadOptions;

    std::vector<SessionRun> runs;
    int currentRun = -1;     ///< index into runs of the run the main view shows; -1: none
    /// Indices into runs of what the compare panes 1..3 show (-1: a pane without a run); empty:
    /// the main view alone. JSON: view.compare.
    std::vector<int> comparePanes;
    /// The cameras of those panes, in the same order (JSON: view.compare_cameras; empty in files
    /// written before them: the panes are fitted to their points then).
    std::vector<SessionCamera> compareCameras;
    /// The run the main view shows, or null.
    const SessionRun* shownRun() const {
        return currentRun >= 0 && std::size_t(currentRun) < runs.size() ? &runs[std::size_t(currentRun)] : nullptr;
    }

    std::vector<SessionColumn> columns;
    std::vector<std::int64_t> selection;

    bool plotEmbedding = false;
    int xFeature = 0;
    int yFeature = 0;
    QString colourColumn;    ///< metadata column name; "" for none or a feature
    int colourFeature = -1;
    QString colourMap;
    std::vector<std::int32_t> hidden;
    double dimming = 0.8;
    bool dark = false;
    double pointSize = 4.0;
    double opacity = 1.0;
    bool perspective = true;
    SessionCamera camera;
    QSize viewSize;
};

/// Writes the runs' sidecars (embeddings, networks), then `session` to `path` (each atomically;
/// the JSON names the sidecars and their hashes), then removes sidecars of earlier saves of
/// `path`. Throws SessionError.
void writeSession(const Session& session, const QString& path);
/// Removes a session file and its sidecars.
void removeSession(const QString& path);
/// Reads a session and its sidecar. Throws SessionError for a missing, corrupt, incomplete or
/// future-version file, naming the file and what is wrong.
Session readSession(const QString& path);
/// The load options a session or the per-file settings keep (label, delimiter, header,
/// skip_rows, comment, roles; not the missing-value policy, which sessions store apart). Only
/// fields that differ from the defaults are written.
QJsonObject loadOptionsToJson(const data::LoadOptions& options);
/// Reads them back over `base` (its other fields kept). Throws SessionError naming `where`
/// ("session.dataset.load_options.header") for a mistyped or unknown value.
data::LoadOptions loadOptionsFromJson(const QJsonObject& json, const QString& where, data::LoadOptions base = {});

/// Refuses a path that is not a regular file before anything opens it (a FIFO would block the
/// open until a writer comes; hashing /dev/zero would never end): throws SessionError naming it.
void requireRegularFile(const QString& path);

/// SHA-256 (hex) of a file's bytes; throws SessionError if it cannot be read.
QString fileSha256(const QString& path);

/// What a session records of its dataset: fileSha256 of a file; for .npy shards (a folder or a
/// manifest, data::load_shards) the SHA-256 of the list of their files' names, sizes and digests,
/// so that a changed, added or removed shard is noticed. Throws SessionError (or LoadError for a
/// broken manifest).
QString datasetSha256(const QString& path);

/// The camera's composite projection (world -> normalised device coordinates), row-major, for a
/// viewport of the given aspect (width / height): the same matrix as VTK's
/// vtkCamera::GetCompositeProjectionTransformMatrix(aspect, -1, 1) for a camera with these
/// settings (default window centre, no shear, no stereo), computed without VTK.
std::array<double, 16> cameraMatrix(const SessionCamera& camera, double aspect);

}  // namespace latentscape::ui
