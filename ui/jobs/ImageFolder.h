#pragma once
/// @file A folder of images as a dataset (issue 15): every PNG, JPEG, BMP, GIF, WebP (TIFF,
/// PGM/PPM) file that Qt can read under a folder, its sub-folders included, in a fixed order (the
/// relative paths compared code unit by code unit, the same on every machine), resized to one
/// size; the pixels (0..255, as the MNIST IDX loader gives them) are the features and the images
/// the thumbnails, and the first-level sub-folder is the label. Qt Gui (QImageReader), so it lives
/// in ui/, but it touches no widget and runs on the loader thread.
///
/// Resizing: an image of another size is scaled to cover the target (aspect kept) and its centre
/// cut out (torchvision's Resize + CenterCrop): no letterbox bars become features. An image of the
/// target size keeps its pixels exactly. Transparent pixels are composed over white. Channels: 1
/// when every image is grey (by its pixels, after resizing), else 3 (RGB, interleaved as in the
/// image: the feature of row y, column x, channel c is (y * width + x) * 3 + c).

#include "data/dataset.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace latentscape::ui {

struct ImageFolderOptions {
    /// Width and height of every image in the dataset. 0 (the default): the images' own size when
    /// all have the same one and it is at most 64 x 64 pixels (a folder of MNIST PNGs stays
    /// 28 x 28, pixel for pixel), else defaultSide x defaultSide.
    int side = 0;
    /// The size used when `side` is 0 and the images differ or are larger than 64 x 64: 32 x 32
    /// (CIFAR's size), 3,072 features in colour; larger sides make every method slower.
    int defaultSide = 32;
    /// More image files than this is refused with a message (not loaded in part).
    std::int64_t maxImages = 250000;
    /// Image files larger than this together are refused (reading them all would take minutes).
    std::int64_t maxTotalBytes = std::int64_t(16) << 30;
    /// A single file larger than this is skipped as unreadable.
    std::int64_t maxFileBytes = std::int64_t(256) << 20;
    /// Decoding threads (each image is independent: the result does not depend on it); 0: the
    /// number of cores.
    int threads = 0;
};

/// A file that was skipped: its path relative to the folder and why.
struct SkippedImage {
    QString path;
    QString reason;
};

struct ImageFolderResult {
    std::shared_ptr<data::Dataset> dataset;
    std::vector<SkippedImage> skipped;  ///< image files that could not be read, in the folder's order
    std::int64_t ignoredFiles = 0;      ///< files that are not images by their extension (README.txt...)
    /// SHA-256 (hex) over every image file's relative path, size and content, in order: what a
    /// session checks to know the folder is the one it was saved with (names, moves and edits
    /// change it, copying the folder or touching a file does not).
    QString sha256;
    /// "2 files could not be read: a/x.png (reason); b.jpg (reason)", or "" when none was skipped.
    QString skippedMessage() const;
};

/// Reads `folder`. Throws LoadError naming the folder when it is missing or not a folder, holds
/// no image file, holds too many or too large ones (ImageFolderOptions), or none of its image
/// files can be read (the first reasons named); files that cannot be read among readable ones are
/// skipped and listed in the result. `canceled` is polled between images: when it answers true,
/// returns a result with a null dataset. `progress(done, total)` is called from the decoding
/// threads as images are read (may be empty).
ImageFolderResult loadImageFolder(const QString& folder, const ImageFolderOptions& options = {},
                                  const std::function<bool()>& canceled = {},
                                  const std::function<void(std::int64_t, std::int64_t)>& progress = {});

/// The lower-case file extensions read as images (those of the list above that this Qt reads).
QStringList imageFolderExtensions();

}  // namespace latentscape::ui
