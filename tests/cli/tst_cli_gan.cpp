// latentscape-cli's generative commands: 'reduce --method gan' trains and keeps a GAN, 'sample'
// draws from it (or from a VAE) reproducibly, measures the samples against real rows and writes
// them beside the real ones; bad usage is refused with exit code 2 and a message.
#include "common/rng.h"
#include "data/load.h"
#include "metrics/generative.h"
#include "reduce/gan.h"

#include "cli_fixture.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace latentscape;

class TstCliGan : public QObject, protected CliFixture {
    Q_OBJECT

public:
    TstCliGan() { m_timeoutMs = 120000; }  // GAN training runs take longer

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }

    /// Two labelled blobs in 3-D as CSV.
    QString blobs() {
        const QString file = path(QStringLiteral("blobs.csv"));
        if (QFileInfo::exists(file)) return file;
        QFile f(file);
        f.open(QIODevice::WriteOnly);
        f.write("x,y,z,label\n");
        Rng rng(4);
        for (int i = 0; i < 600; ++i) {
            const double c = i % 2 ? 2.0 : -2.0;
            f.write(QStringLiteral("%1,%2,%3,%4\n")
                        .arg(c + 0.3 * rng.normal())
                        .arg(0.3 * rng.normal())
                        .arg(c + 0.3 * rng.normal())
                        .arg(i % 2 ? QStringLiteral("b") : QStringLiteral("a"))
                        .toUtf8());
        }
        return file;
    }

private slots:
    void trainSampleCompareAndJoint() {
        const QString model = path(QStringLiteral("m.lsgan"));
        auto r = run({QStringLiteral("reduce"), blobs(), QStringLiteral("--method"), QStringLiteral("gan"), QStringLiteral("--dims"),
                      QStringLiteral("4"), QStringLiteral("--hidden"), QStringLiteral("32,32"), QStringLiteral("--discriminator-hidden"),
                      QStringLiteral("32,32"), QStringLiteral("--epochs"), QStringLiteral("200"), QStringLiteral("--lr"),
                      QStringLiteral("0.0005"), QStringLiteral("--save-model"), model, QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject trained = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(trained.value("method").toString(), QStringLiteral("gan"));
        QCOMPARE(trained.value("noise_dims").toInt(), 4);
        QCOMPARE(trained.value("history").toArray().size(), 200);
        QCOMPARE(trained.value("output_activation").toString(), QStringLiteral("linear"));
        const reduce::gan::Model m = reduce::gan::Model::load(model.toStdString());
        QCOMPARE(m.data_dims, 3);

        // Samples: the model's rows for noise(seed), whatever the thread count.
        const QString out1 = path(QStringLiteral("s1.npy")), out2 = path(QStringLiteral("s2.npy"));
        r = run({QStringLiteral("sample"), QStringLiteral("--model"), model, QStringLiteral("--n"), QStringLiteral("500"),
                 QStringLiteral("--out"), out1, QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--threads"),
                 QStringLiteral("1")});
        QVERIFY2(r.code == 0, r.err.constData());
        r = run({QStringLiteral("sample"), QStringLiteral("--model"), model, QStringLiteral("--n"), QStringLiteral("500"),
                 QStringLiteral("--out"), out2, QStringLiteral("--seed"), QStringLiteral("3")});
        QVERIFY2(r.code == 0, r.err.constData());
        const data::Dataset s1 = data::load(out1.toStdString()), s2 = data::load(out2.toStdString());
        QVERIFY(s1.features == s2.features);
        const auto z = reduce::gan::noise(500, 4, 3);
        const auto expected = m.generate(z.data(), 500);
        QVERIFY(std::equal(expected.begin(), expected.end(), s1.features.begin()));

        // Compared with the real rows (raw 3-D space: fewer columns than --pca-dims), and written
        // beside them.
        const QString joint = path(QStringLiteral("joint.csv"));
        r = run({QStringLiteral("sample"), QStringLiteral("--model"), model, QStringLiteral("--n"), QStringLiteral("600"),
                 QStringLiteral("--out"), out1, QStringLiteral("--compare"), blobs(), QStringLiteral("--joint"), joint,
                 QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject q = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(q.value("kind").toString(), QStringLiteral("gan"));
        QCOMPARE(q.value("space_dims").toInt(), 3);
        QVERIFY2(q.value("precision").toDouble() > 0.5, r.out.constData());
        // The numbers are the core's comparison of the same rows (seed 42 is sample's default).
        const data::Dataset real = data::load(blobs().toStdString());
        const auto z42 = reduce::gan::noise(600, 4, 42);
        const auto rows = m.generate(z42.data(), 600);
        const auto core = metrics::compare_generated(real.features.data(), real.n, real.d, rows.data(), 600,
                                                     real.label()->codes.data(), 2);
        QCOMPARE(q.value("precision").toDouble(), core.precision_recall.precision);
        QCOMPARE(q.value("recall").toDouble(), core.precision_recall.recall);
        QCOMPARE(q.value("classes").toArray().size(), 2);
        QCOMPARE(q.value("classes_covered").toInt(), 2);
        const data::Dataset both = data::load(joint.toStdString());
        QCOMPARE(both.n, 1200);
        QCOMPARE(both.feature_names, (std::vector<std::string>{"x", "y", "z"}));
        const auto source = both.find_metadata("source");
        QVERIFY(source);
        auto categories = both.metadata[*source].categories;
        std::sort(categories.begin(), categories.end());
        QCOMPARE(categories, (std::vector<std::string>{"gan", "real"}));
    }

    void vaeSamplesAndBadUsage() {
        const QString vae = path(QStringLiteral("v.lsae")), ae = path(QStringLiteral("a.lsae"));
        for (const auto& [method, file] : {std::pair{QStringLiteral("vae"), vae}, std::pair{QStringLiteral("autoencoder"), ae}}) {
            const auto r = run({QStringLiteral("reduce"), blobs(), QStringLiteral("--method"), method, QStringLiteral("--epochs"),
                                QStringLiteral("2"), QStringLiteral("--save-model"), file, QStringLiteral("--out"),
                                path(method + QStringLiteral(".npy"))});
            QVERIFY2(r.code == 0, r.err.constData());
        }
        auto r = run({QStringLiteral("sample"), QStringLiteral("--model"), vae, QStringLiteral("--n"), QStringLiteral("50"),
                      QStringLiteral("--out"), path(QStringLiteral("v.csv")), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value("kind").toString(), QStringLiteral("vae"));
        QCOMPARE(data::load(path(QStringLiteral("v.csv")).toStdString()).n, 50);

        auto refused = [&](const QStringList& args, const char* part) {
            const auto res = run(args);
            QCOMPARE(res.code, 2);
            QVERIFY2(res.err.contains(part), res.err.constData());
        };
        refused({QStringLiteral("sample"), QStringLiteral("--model"), ae, QStringLiteral("--n"), QStringLiteral("5"),
                 QStringLiteral("--out"), path(QStringLiteral("x.csv"))},
                "plain autoencoder");
        refused({QStringLiteral("sample"), QStringLiteral("--model"), blobs(), QStringLiteral("--n"), QStringLiteral("5"),
                 QStringLiteral("--out"), path(QStringLiteral("x.csv"))},
                "not a Latentscape GAN");
        refused({QStringLiteral("sample"), QStringLiteral("--model"), vae, QStringLiteral("--n"), QStringLiteral("0"),
                 QStringLiteral("--out"), path(QStringLiteral("x.csv"))},
                "--n must be in");
        refused({QStringLiteral("sample"), QStringLiteral("--model"), vae, QStringLiteral("--n"), QStringLiteral("5"),
                 QStringLiteral("--out"), path(QStringLiteral("x.csv")), QStringLiteral("--joint"), path(QStringLiteral("j.csv"))},
                "--joint needs --compare");
        refused({QStringLiteral("reduce"), blobs(), QStringLiteral("--method"), QStringLiteral("gan")}, "needs --save-model");
        refused({QStringLiteral("reduce"), blobs(), QStringLiteral("--method"), QStringLiteral("gan"), QStringLiteral("--dims"),
                 QStringLiteral("0"), QStringLiteral("--save-model"), path(QStringLiteral("z.lsgan"))},
                "noise dimensions (0)");
        refused({QStringLiteral("reduce"), blobs(), QStringLiteral("--method"), QStringLiteral("gan"), QStringLiteral("--hidden"),
                 QStringLiteral("8,x"), QStringLiteral("--save-model"), path(QStringLiteral("z.lsgan"))},
                "--hidden '8,x': layer 2");
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("z.lsgan"))));
    }
};

QTEST_GUILESS_MAIN(TstCliGan)
#include "tst_cli_gan.moc"
