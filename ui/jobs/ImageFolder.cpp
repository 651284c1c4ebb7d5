// A folder of images as a dataset: list, check, decode in parallel, resize, assemble.
#include "jobs/ImageFolder.h"

#include "common/error.h"
#include "common/file_io.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QPainter>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <numeric>

namespace latentscape::ui {
namespace {

// Every extension taken as an image; those this Qt cannot read are listed as skipped (with the
// plug-in to install), not silently ignored.
const char* const kImageExtensions[] = {"png", "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff", "pgm", "ppm", "pbm"};
// Images whose common size is kept as it is: MNIST (28 x 28), CIFAR (32 x 32), 64 x 64 icons.
constexpr std::int64_t kKeepAreaLimit = 64 * 64;

struct Entry {
    QString relative;        // relative path, '/' separated
    QString absolute;
    std::int64_t bytes = 0;
    QString folder;          // first-level sub-folder, "" at the top
    QSize size;              // from the header (pass 1); invalid if unknown
    QByteArray digest;       // SHA-256 of the content
    QString error;           // why it was skipped ("" when read)
    int originalWidth = 0, originalHeight = 0;
    std::vector<std::uint8_t> rgb;  // target-size RGB888, tightly packed
    bool grey = true;
};

QString formatOf(const QString& relative) { return QFileInfo(relative).suffix().toLower(); }

bool readable(const QString& suffix) {
    const QByteArray format = suffix == QLatin1String("jpg") ? QByteArray("jpeg")
                              : suffix == QLatin1String("tif") ? QByteArray("tiff")
                                                               : suffix.toLatin1();
    // Asked once: the list is built from the plug-ins on every call.
    static const QList<QByteArray> formats = QImageReader::supportedImageFormats();
    return formats.contains(format);
}

QString readerError(const QImageReader& reader) {
    QString e = reader.errorString();
    return e.isEmpty() || e == QLatin1String("Unknown error") ? QStringLiteral("not a readable image (corrupt or truncated)") : e;
}

/// The file's bytes (SHA-256 into entry.digest), or an empty array with entry.error set.
QByteArray readBytes(Entry& entry, const ImageFolderOptions& options) {
    if (entry.bytes > options.maxFileBytes) {
        entry.error = QStringLiteral("larger than %1 MB").arg(options.maxFileBytes >> 20);
        return {};
    }
    QFile file(entry.absolute);
    if (!file.open(QIODevice::ReadOnly)) {
        entry.error = file.errorString();
        return {};
    }
    QByteArray bytes = file.readAll();
    if (bytes.size() != entry.bytes && file.error() != QFileDevice::NoError) {
        entry.error = file.errorString();
        return {};
    }
    entry.digest = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
    if (bytes.isEmpty()) entry.error = QStringLiteral("empty file");
    return bytes;
}

/// Pass 1: the content's hash and the size the header announces.
void inspect(Entry& entry, const ImageFolderOptions& options) {
    const QString suffix = formatOf(entry.relative);
    QByteArray bytes = readBytes(entry, options);
    if (!entry.error.isEmpty()) return;
    if (!readable(suffix)) {
        entry.error = QStringLiteral("this Qt has no %1 reader (install qt6-image-formats-plugins)").arg(suffix.toUpper());
        return;
    }
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    if (!reader.canRead()) {
        entry.error = readerError(reader);
        return;
    }
    entry.size = reader.size();
}

/// Pass 2: decode `entry` at `target` (cover, then the centre cut out) into entry.rgb.
void decode(Entry& entry, QSize target, const ImageFolderOptions& options) {
    QByteArray bytes = readBytes(entry, options);
    if (!entry.error.isEmpty()) return;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);  // a camera JPEG's EXIF orientation, as viewers show it
    QSize full = reader.size();
    if (full.isValid() && reader.transformation().testFlag(QImageIOHandler::TransformationRotate90)) full.transpose();
    QImage image;
    QSize scaled;
    if (full.isValid() && full != target && !reader.transformation().testFlag(QImageIOHandler::TransformationRotate90)) {
        // Decoded at (about) the size needed: a JPEG decoder scales while decoding, which keeps a
        // folder of photos fast and small in memory.
        const double s = std::max(double(target.width()) / full.width(), double(target.height()) / full.height());
        scaled = QSize(std::max(target.width(), int(std::ceil(full.width() * s - 1e-9))),
                       std::max(target.height(), int(std::ceil(full.height() * s - 1e-9))));
        reader.setScaledSize(scaled);
    }
    if (!reader.read(&image) || image.isNull()) {
        entry.error = readerError(reader);
        return;
    }
    entry.originalWidth = full.isValid() ? full.width() : image.width();
    entry.originalHeight = full.isValid() ? full.height() : image.height();
    if (image.size() != target) {
        const double s = std::max(double(target.width()) / image.width(), double(target.height()) / image.height());
        const QSize cover(std::max(target.width(), int(std::ceil(image.width() * s - 1e-9))),
                          std::max(target.height(), int(std::ceil(image.height() * s - 1e-9))));
        if (image.size() != cover) image = image.scaled(cover, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        image = image.copy((image.width() - target.width()) / 2, (image.height() - target.height()) / 2,
                           target.width(), target.height());
    }
    if (image.hasAlphaChannel()) {
        QImage flat(image.size(), QImage::Format_RGB888);
        flat.fill(Qt::white);
        QPainter painter(&flat);
        painter.drawImage(0, 0, image);
        painter.end();
        image = flat;
    } else {
        image = image.convertToFormat(QImage::Format_RGB888);
    }
    const int w = target.width(), h = target.height();
    entry.rgb.resize(std::size_t(w) * std::size_t(h) * 3);
    for (int y = 0; y < h; ++y) {
        const uchar* line = image.constScanLine(y);
        std::copy_n(line, std::size_t(w) * 3, entry.rgb.data() + std::size_t(y) * std::size_t(w) * 3);
    }
    for (std::size_t k = 0; k < entry.rgb.size() && entry.grey; k += 3)
        entry.grey = entry.rgb[k] == entry.rgb[k + 1] && entry.rgb[k] == entry.rgb[k + 2];
}

QString describeSkipped(const std::vector<SkippedImage>& skipped, std::size_t listed) {
    QStringList parts;
    for (std::size_t i = 0; i < skipped.size() && i < listed; ++i)
        parts << QStringLiteral("%1 (%2)").arg(skipped[i].path, skipped[i].reason);
    if (skipped.size() > listed) parts << QStringLiteral("and %1 more").arg(skipped.size() - listed);
    return parts.join(QStringLiteral("; "));
}

[[noreturn]] void fail(const QString& folder, const QString& cause) {
    throw LoadError(QFile::encodeName(folder).toStdString(), cause.toStdString());
}

/// Runs `work(i)` for i in [0, count) on `threads` threads; stops early when canceled.
template <typename Work>
void forEach(std::int64_t count, int threads, const std::function<bool()>& canceled, Work work) {
    std::vector<std::int64_t> items(static_cast<std::size_t>(count));
    std::iota(items.begin(), items.end(), 0);
    QThreadPool pool;
    pool.setMaxThreadCount(std::max(1, threads));
    QtConcurrent::blockingMap(&pool, items, [&](std::int64_t i) {
        if (canceled && canceled()) return;
        work(i);
    });
}

}  // namespace

QStringList imageFolderExtensions() {
    QStringList out;
    for (const char* e : kImageExtensions)
        if (readable(QString::fromLatin1(e))) out << QString::fromLatin1(e);
    return out;
}

QString ImageFolderResult::skippedMessage() const {
    if (skipped.empty()) return {};
    const QString count = skipped.size() == 1 ? QStringLiteral("1 file could not be read")
                                              : QStringLiteral("%1 files could not be read").arg(skipped.size());
    return count + QStringLiteral(" and ") + (skipped.size() == 1 ? QStringLiteral("was") : QStringLiteral("were")) +
           QStringLiteral(" skipped: ") + describeSkipped(skipped, 5);
}

ImageFolderResult loadImageFolder(const QString& folder, const ImageFolderOptions& options,
                                  const std::function<bool()>& canceled,
                                  const std::function<void(std::int64_t, std::int64_t)>& progress) {
    const QFileInfo info(folder);
    if (!info.exists()) fail(folder, QStringLiteral("no such folder"));
    if (!info.isDir()) fail(folder, QStringLiteral("is not a folder"));
    if (options.side < 0 || options.side > 1024 || options.defaultSide < 1 || options.defaultSide > 1024)
        fail(folder, QStringLiteral("the image side must be between 1 and 1024 pixels"));
    const QDir root(info.absoluteFilePath());
    const int threads = options.threads > 0 ? options.threads : std::max(1, QThread::idealThreadCount());

    // The files: hidden ones and symbolic links to folders (which could loop) left out.
    std::vector<Entry> entries;
    std::int64_t ignored = 0, totalBytes = 0;
    QDirIterator it(root.path(), QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo file = it.fileInfo();
        const QString relative = root.relativeFilePath(file.absoluteFilePath());
        if (relative.startsWith(QLatin1Char('.')) || relative.contains(QLatin1String("/."))) continue;
        const QString suffix = file.suffix().toLower();
        if (std::none_of(std::begin(kImageExtensions), std::end(kImageExtensions),
                         [&](const char* e) { return suffix == QLatin1String(e); })) {
            ++ignored;
            continue;
        }
        if (std::int64_t(entries.size()) >= options.maxImages)
            fail(folder, QStringLiteral("holds more than %1 image files: open a smaller folder (a sub-folder, or a sample)")
                             .arg(options.maxImages));
        Entry e;
        e.relative = relative;
        e.absolute = file.absoluteFilePath();
        e.bytes = file.size();
        const qsizetype slash = relative.indexOf(QLatin1Char('/'));
        if (slash > 0) e.folder = relative.left(slash);
        totalBytes += e.bytes;
        entries.push_back(std::move(e));
        if (canceled && entries.size() % 1024 == 0 && canceled()) return {};
    }
    if (entries.empty())
        fail(folder, ignored > 0 ? QStringLiteral("holds no image files (PNG, JPEG, BMP, GIF, WebP) in it or its "
                                                  "sub-folders, only %1 other file%2")
                                       .arg(ignored)
                                       .arg(ignored == 1 ? "" : "s")
                                 : QStringLiteral("is empty: no image files (PNG, JPEG, BMP, GIF, WebP) in it or its sub-folders"));
    if (totalBytes > options.maxTotalBytes)
        fail(folder, QStringLiteral("its %1 image files take %2 GB, more than the %3 GB a folder may hold: open a "
                                    "smaller folder (a sub-folder, or a sample)")
                         .arg(entries.size())
                         .arg(double(totalBytes) / double(1 << 30), 0, 'f', 1)
                         .arg(double(options.maxTotalBytes) / double(1 << 30), 0, 'f', 1));
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.relative < b.relative; });

    // Pass 1: hashes and header sizes, to choose the common size before decoding anything.
    const auto n = std::int64_t(entries.size());
    std::atomic<std::int64_t> done{0};
    const auto step = [&] {
        const std::int64_t k = ++done;
        if (progress) progress(k, 2 * n);
    };
    forEach(n, threads, canceled, [&](std::int64_t i) {
        inspect(entries[std::size_t(i)], options);
        step();
    });
    if (canceled && canceled()) return {};
    QSize target(options.side, options.side);
    if (options.side == 0) {
        QSize common;
        bool same = true;
        for (const Entry& e : entries) {
            if (!e.error.isEmpty()) continue;
            if (!e.size.isValid() || (common.isValid() && e.size != common)) same = false;
            if (!common.isValid()) common = e.size;
        }
        const bool keep = same && common.isValid() && std::int64_t(common.width()) * common.height() <= kKeepAreaLimit;
        target = keep ? common : QSize(options.defaultSide, options.defaultSide);
    }

    // Before decoding: the decoded images (RGB), then the stack and the float features must fit.
    const std::string nativeFolder = QFile::encodeName(folder).toStdString();
    const std::uint64_t area = std::uint64_t(target.width()) * std::uint64_t(target.height());
    io::check_fits_in_memory(nativeFolder, io::checked_mul(nativeFolder, std::uint64_t(n), area * 3 * 5),
                             "the decoded images and their features");

    // Pass 2: decode at the target size.
    forEach(n, threads, canceled, [&](std::int64_t i) {
        Entry& e = entries[std::size_t(i)];
        if (e.error.isEmpty()) decode(e, target, options);
        step();
    });
    if (canceled && canceled()) return {};

    ImageFolderResult result;
    result.ignoredFiles = ignored;
    QCryptographicHash folderHash(QCryptographicHash::Sha256);
    std::vector<Entry*> kept;
    for (Entry& e : entries) {
        folderHash.addData(e.relative.toUtf8());
        folderHash.addData(QByteArray(1, '\0'));
        folderHash.addData(QByteArray::number(qlonglong(e.bytes)));
        folderHash.addData(QByteArray(1, '\0'));
        folderHash.addData(e.digest.isEmpty() ? QByteArray("unread") : e.digest.toHex());
        folderHash.addData(QByteArray(1, '\n'));
        if (e.error.isEmpty()) kept.push_back(&e);
        else result.skipped.push_back({e.relative, e.error});
    }
    result.sha256 = QString::fromLatin1(folderHash.result().toHex());
    if (kept.empty())
        fail(folder, QStringLiteral("none of its %1 image file%2 could be read: %3")
                         .arg(entries.size())
                         .arg(entries.size() == 1 ? "" : "s")
                         .arg(describeSkipped(result.skipped, 3)));

    const bool grey = std::all_of(kept.begin(), kept.end(), [](const Entry* e) { return e->grey; });
    const int channels = grey ? 1 : 3;
    const auto rows = std::int64_t(kept.size());
    const std::int64_t d = std::int64_t(target.width()) * target.height() * channels;

    auto ds = std::make_shared<data::Dataset>();
    ds->n = rows;
    ds->d = d;
    ds->images.width = target.width();
    ds->images.height = target.height();
    ds->images.channels = channels;
    // The stack first, each decoded image freed once copied; then the features: the decoded
    // images and the features are never all in memory at once.
    ds->images.pixels.resize(std::size_t(rows) * std::size_t(d));
    ds->row_ids.reserve(std::size_t(rows));
    std::vector<double> widths, heights;
    for (std::int64_t i = 0; i < rows; ++i) {
        Entry& e = *kept[std::size_t(i)];
        std::uint8_t* px = ds->images.pixels.data() + std::size_t(i) * std::size_t(d);
        if (grey)
            for (std::int64_t k = 0; k < d; ++k) px[k] = e.rgb[std::size_t(3 * k)];
        else
            std::copy(e.rgb.begin(), e.rgb.end(), px);
        std::vector<std::uint8_t>().swap(e.rgb);
        ds->row_ids.push_back(e.relative.toStdString());
        widths.push_back(e.originalWidth);
        heights.push_back(e.originalHeight);
    }
    ds->features.resize(ds->images.pixels.size());
    std::transform(ds->images.pixels.begin(), ds->images.pixels.end(), ds->features.begin(),
                   [](std::uint8_t v) { return float(v); });
    ds->feature_names.reserve(std::size_t(d));
    static const char* const colour[] = {"r", "g", "b"};
    for (int y = 0; y < target.height(); ++y)
        for (int x = 0; x < target.width(); ++x)
            for (int c = 0; c < channels; ++c)
                ds->feature_names.push_back("px_" + std::to_string(y) + "_" + std::to_string(x) +
                                            (grey ? std::string() : std::string("_") + colour[c]));

    // The first-level sub-folder as a class, in the folder's order; images at the top have none.
    std::vector<std::string> categories;
    std::map<QString, std::int32_t> codeOf;
    std::vector<std::int32_t> codes;
    for (const Entry* e : kept) {
        if (e->folder.isEmpty()) {
            codes.push_back(-1);
            continue;
        }
        auto [at, inserted] = codeOf.emplace(e->folder, std::int32_t(categories.size()));
        if (inserted) categories.push_back(e->folder.toStdString());
        codes.push_back(at->second);
    }
    const std::size_t folders = categories.size();
    if (folders > 0) ds->metadata.push_back(data::MetadataColumn::categorical("folder", std::move(codes), std::move(categories)));
    if (folders >= 2) ds->label_column = 0;
    ds->metadata.push_back(data::MetadataColumn::numeric("width", std::move(widths)));
    ds->metadata.push_back(data::MetadataColumn::numeric("height", std::move(heights)));
    ds->source = nativeFolder;
    ds->format = "images";
    ds->check_consistent();
    result.dataset = std::move(ds);
    return result;
}

}  // namespace latentscape::ui
