#pragma once
/// @file Session files (`.latentscape`): what is needed to reopen a view exactly, without
/// recomputing (DESIGN.md section 2). JSON with a format version; the embedding itself goes to a
/// sidecar `<session>.<hash>.embedding.npy` (float32, n x dims) next to it, named by its content
/// and checked by its SHA-256 when read, so a session never pairs with another save's embedding.
///
///     { "format": "latentscape-session", "version": 1,
///       "dataset": { "path", "sha256", "rows", "features", "missing" },
///       "run": { "method", "dims", "iterations", "options": {...}, "embedding": "<sidecar name>",
///                "embedding_sha256" },
///       "columns": [ { "name": "cluster", "categories": [...], "codes": [...] } ],   // derived ones
///       "selection": [ row ids ],
///       "view": { "plot", "x_feature", "y_feature", "colour_column", "colour_feature",
///                 "colour_map", "hidden": [codes], "dimming", "dark", "point_size", "opacity",
///                 "perspective", "camera": { "position", "focal_point", "view_up",
///                 "parallel_scale", "view_angle", "parallel", "clipping_range" },
///                 "size": [w, h] } }

#include <QJsonObject>
#include <QSize>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
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

struct Session {
    static constexpr int formatVersion = 1;

    QString datasetPath;     ///< absolute
    QString datasetSha256;   ///< hex of the file's bytes as stored on disk
    std::int64_t rows = 0;
    std::int64_t features = 0;
    int missingPolicy = 0;   ///< data::MissingPolicy the dataset was loaded with (0: error)

    QString method;          ///< "" when no embedding is shown
    int dims = 0;
    int iterations = 0;
    QJsonObject options;     ///< the run's options, seed included (what the Reduction panel had)
    std::vector<float> embedding;  ///< rows x dims

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

/// Writes the embedding's sidecar, then `session` to `path` (each atomically; the JSON names the
/// sidecar and its hash), then removes sidecars of earlier saves of `path`. Throws SessionError.
void writeSession(const Session& session, const QString& path);
/// Removes a session file and its sidecars.
void removeSession(const QString& path);
/// Reads a session and its sidecar. Throws SessionError for a missing, corrupt, incomplete or
/// future-version file, naming the file and what is wrong.
Session readSession(const QString& path);
/// SHA-256 (hex) of a file's bytes; throws SessionError if it cannot be read.
QString fileSha256(const QString& path);

/// The camera's composite projection (world -> normalised device coordinates), row-major, for a
/// viewport of the given aspect (width / height): the same matrix as VTK's
/// vtkCamera::GetCompositeProjectionTransformMatrix(aspect, -1, 1) for a camera with these
/// settings (default window centre, no shear, no stereo), computed without VTK.
std::array<double, 16> cameraMatrix(const SessionCamera& camera, double aspect);

}  // namespace latentscape::ui
