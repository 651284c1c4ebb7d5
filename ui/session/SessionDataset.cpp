// What a session records of its dataset besides the path: the load options it was opened with
// (as JSON) and the SHA-256 that tells whether the file is still the same (session/Session.h).
#include "session/Session.h"

#include "common/error.h"
#include "common/file_io.h"
#include "data/columns.h"
#include "data/load.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <openssl/evp.h>

#include <cmath>
#include <memory>
#include <vector>

namespace latentscape::ui {
namespace {

[[noreturn]] void fail(const QString& path, const QString& cause) {
    throw SessionError(QStringLiteral("%1: %2").arg(path, cause).toStdString());
}

}  // namespace

QJsonObject loadOptionsToJson(const data::LoadOptions& o) {
    const data::LoadOptions defaults;
    QJsonObject json;
    if (o.label) json.insert(QStringLiteral("label"), QString::fromStdString(*o.label));
    if (o.delimiter) json.insert(QStringLiteral("delimiter"), QString(QChar::fromLatin1(*o.delimiter)));
    if (o.header != defaults.header)
        json.insert(QStringLiteral("header"), o.header == data::HeaderMode::Present ? QStringLiteral("present") : QStringLiteral("absent"));
    if (o.skip_rows != 0) json.insert(QStringLiteral("skip_rows"), double(o.skip_rows));
    if (o.comment != defaults.comment)
        json.insert(QStringLiteral("comment"), o.comment ? QJsonValue(QString(QChar::fromLatin1(*o.comment))) : QJsonValue());
    if (!o.roles.empty()) {
        QJsonObject roles;
        for (const auto& [name, role] : o.roles) roles.insert(QString::fromStdString(name), QString::fromLatin1(data::to_string(role)));
        json.insert(QStringLiteral("roles"), roles);
    }
    return json;
}

data::LoadOptions loadOptionsFromJson(const QJsonObject& json, const QString& where, data::LoadOptions o) {
    const auto bad = [&](const QString& key, const QString& why) {
        throw SessionError(QStringLiteral("%1.%2 %3").arg(where, key, why).toStdString());
    };
    const auto oneChar = [&](const QString& key) -> char {
        const QJsonValue v = json.value(key);
        if (!v.isString() || v.toString().size() != 1 || v.toString()[0].unicode() > 126)
            bad(key, QStringLiteral("is not one ASCII character"));
        return char(v.toString()[0].unicode());
    };
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QString key = it.key();
        if (key == QLatin1String("label")) {
            if (!it->isString()) bad(key, QStringLiteral("is not text"));
            o.label = it->toString().toStdString();
        } else if (key == QLatin1String("delimiter")) {
            o.delimiter = oneChar(key);
        } else if (key == QLatin1String("header")) {
            const QString h = it->toString();
            if (h == QLatin1String("present")) o.header = data::HeaderMode::Present;
            else if (h == QLatin1String("absent")) o.header = data::HeaderMode::Absent;
            else if (h == QLatin1String("auto")) o.header = data::HeaderMode::Auto;
            else bad(key, QStringLiteral("is not \"auto\", \"present\" or \"absent\""));
        } else if (key == QLatin1String("skip_rows")) {
            const double v = it->toDouble(-1);
            if (!it->isDouble() || v != std::floor(v) || v < 0 || v > 1e9) bad(key, QStringLiteral("is not a whole number of rows"));
            o.skip_rows = std::int64_t(v);
        } else if (key == QLatin1String("comment")) {
            if (it->isNull()) o.comment.reset();
            else o.comment = oneChar(key);
        } else if (key == QLatin1String("roles")) {
            if (!it->isObject()) bad(key, QStringLiteral("is not an object"));
            o.roles.clear();
            const QJsonObject roles = it->toObject();
            for (auto r = roles.begin(); r != roles.end(); ++r) {
                const auto role = data::column_role_from_string(r->toString().toStdString());
                if (!role)
                    bad(key + QLatin1Char('.') + r.key(),
                        QStringLiteral("is not \"feature\", \"label\", \"metadata\" or \"ignore\""));
                o.roles[r.key().toStdString()] = *role;
            }
        } else {
            bad(key, QStringLiteral("is not a load option this Latentscape knows"));
        }
    }
    return o;
}

void requireRegularFile(const QString& path) {
    try {
        io::require_regular_file(QFile::encodeName(path).toStdString());
    } catch (const LoadError& e) {
        fail(path, QString::fromStdString(e.cause()));
    }
}

QString fileSha256(const QString& path) {
    requireRegularFile(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) fail(path, QStringLiteral("cannot be read (%1)").arg(file.errorString()));
    // OpenSSL's SHA-256 (the CPU's SHA extensions where present): the same digest as any other.
    const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        fail(path, QStringLiteral("cannot be hashed (OpenSSL's SHA-256 is unavailable)"));
    std::vector<char> buffer(std::size_t(1) << 20);
    for (;;) {
        const qint64 got = file.read(buffer.data(), qint64(buffer.size()));
        if (got < 0) fail(path, QStringLiteral("cannot be read to the end"));
        if (got == 0) break;
        EVP_DigestUpdate(ctx.get(), buffer.data(), std::size_t(got));
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(digest), int(length)).toHex());
}

QString datasetSha256(const QString& path) {
    const std::string native = QFile::encodeName(path).toStdString();
    bool shards = false;
    try {
        shards = data::detect_format(native) == "shards";  // the loader's own rule
    } catch (const LoadError&) {
    }
    if (!shards) return fileSha256(path);
    QByteArray listing;
    const QDir base = QFileInfo(path).isDir() ? QDir(path) : QFileInfo(path).dir();
    for (const std::string& file : data::shard_files(native)) {
        const QString name = QFile::decodeName(QByteArray::fromStdString(file));
        listing += base.relativeFilePath(name).toUtf8() + '\0' + QByteArray::number(QFileInfo(name).size()) + '\0' +
                   fileSha256(name).toLatin1() + '\n';
    }
    return QString::fromLatin1(QCryptographicHash::hash(listing, QCryptographicHash::Sha256).toHex());
}

}  // namespace latentscape::ui
