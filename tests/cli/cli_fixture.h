// The fixture of the latentscape-cli suites (tst_cli, tst_cli_reduce, tst_cli_gan): the CLI run as a process
// (with a deadline), and the files, FIFOs, links and sessions the tests hand it.
#pragma once

#include <QtTest>

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <optional>

#include <sys/stat.h>
#include <unistd.h>

class CliFixture {
protected:
    QTemporaryDir m_dir;
    int m_timeoutMs = 60000;  ///< run()'s deadline: past it the suite stops ("hung")

    struct Result {
        int code;
        QByteArray out, err;
    };
    Result run(const QStringList& args) {
        QProcess p;
        p.start(QStringLiteral(LATENTSCAPE_CLI), args);
        if (!p.waitForFinished(m_timeoutMs)) qFatal("latentscape-cli hung");
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                p.readAllStandardError()};
    }
    QString file(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(bytes);
        return path;
    }

    // Runs the CLI with a deadline: a hang fails the test instead of stopping the suite.
    std::optional<Result> runWithin(const QStringList& args, int ms) {
        QProcess p;
        p.start(QStringLiteral(LATENTSCAPE_CLI), args);
        if (!p.waitForFinished(ms)) {
            p.kill();
            p.waitForFinished();
            return std::nullopt;
        }
        return Result{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
                      p.readAllStandardError()};
    }
    QString fifo(const QString& name) {
        const QString path = m_dir.filePath(name);
        if (!QFileInfo::exists(path) && ::mkfifo(QFile::encodeName(path).constData(), 0600) != 0)
            qFatal("cannot make the FIFO %s", qPrintable(path));
        return path;
    }
    QString link(const QString& name, const QString& target) {
        const QString path = m_dir.filePath(name);
        QFile::remove(path);
        if (::symlink(QFile::encodeName(target).constData(), QFile::encodeName(path).constData()) != 0)
            qFatal("cannot link %s", qPrintable(path));
        return path;
    }
    // A session (format 2) showing two features of `dataset`, with no runs unless `embedding`
    // names one's sidecar.
    QString session(const QString& name, const QString& dataset, const QString& embedding = {}) {
        QByteArray sha = "0";
        {
            QFile f(dataset);
            if (QFileInfo(dataset).isFile() && f.open(QIODevice::ReadOnly))
                sha = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
        }
        QJsonObject view{{"plot", "features"}, {"x_feature", 0}, {"y_feature", 1}, {"colour_column", ""},
                         {"colour_feature", -1}, {"colour_map", "viridis"}, {"hidden", QJsonArray{}},
                         {"dimming", 0.5}, {"dark", false}, {"point_size", 4}, {"opacity", 1.0},
                         {"perspective", false}, {"size", QJsonArray{200, 150}},
                         {"camera", QJsonObject{{"position", QJsonArray{0, 0, 10}}, {"focal_point", QJsonArray{0, 0, 0}},
                                                {"view_up", QJsonArray{0, 1, 0}}, {"parallel_scale", 5},
                                                {"view_angle", 30}, {"parallel", true},
                                                {"clipping_range", QJsonArray{1, 100}}}}};
        QJsonArray runs;
        if (!embedding.isEmpty())
            runs.append(QJsonObject{{"name", "PCA"}, {"method", "PCA"}, {"spec", QJsonObject{}}, {"state", "finished"},
                                    {"dims", 2}, {"iterations", 0}, {"seconds", 0}, {"metrics", QJsonObject{}},
                                    {"embedding", embedding}, {"embedding_sha256", "0"}});
        const QJsonObject root{{"format", "latentscape-session"}, {"version", 2},
                               {"dataset", QJsonObject{{"path", dataset}, {"sha256", QString::fromLatin1(sha)},
                                                       {"rows", 3}, {"features", 2}}},
                               {"runs", runs}, {"current_run", -1}, {"columns", QJsonArray{}},
                               {"selection", QJsonArray{}}, {"view", view}};
        return file(name, QJsonDocument(root).toJson());
    }

    QByteArray contents(const QString& path) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) return {};
        return f.readAll();
    }
};
