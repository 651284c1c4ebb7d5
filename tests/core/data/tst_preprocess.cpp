// Preprocessing shared by every method: standardise, min-max and log1p equal scikit-learn's
// StandardScaler, MinMaxScaler and numpy's log1p on UCI wine (goldens by
// tests/data/preprocess/make_preprocess_goldens.py); constant columns, new rows with a fitted
// scaling, the log1p domain, thread-count independence.
#include "common/parallel.h"
#include "data/load.h"
#include "data/preprocess.h"

#include <QtTest>

#include <omp.h>

#include <cmath>

using namespace latentscape;
using namespace latentscape::data;

class TstPreprocess : public QObject {
    Q_OBJECT

    static Dataset golden(const char* name) { return load_npy(std::string(LATENTSCAPE_TEST_DATA "/preprocess/") + name); }

private slots:
    void matchesScikitLearn_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("file");
        QTest::newRow("standardize") << "standardize" << "wine_standardize.npy";
        QTest::newRow("minmax") << "minmax" << "wine_minmax.npy";
        QTest::newRow("log1p") << "log1p" << "wine_log1p.npy";
    }
    void matchesScikitLearn() {
        QFETCH(QString, kind);
        QFETCH(QString, file);
        const Dataset x = golden("wine_features.npy");
        const Dataset want = golden(file.toStdString().c_str());
        const auto k = parse_preprocess(kind.toStdString());
        QVERIFY(k.has_value());
        QCOMPARE(QString(preprocess_name(*k)), kind);
        const Dataset got = preprocessed(x, *k);
        QCOMPARE(got.n, want.n);
        QCOMPARE(got.d, want.d);
        double worst = 0.0;
        for (std::size_t i = 0; i < std::size_t(got.n * got.d); ++i)
            worst = std::max(worst, std::abs(double(got.features[i]) - double(want.features[i])) /
                                        std::max(1.0, std::abs(double(want.features[i]))));
        qInfo() << kind << "largest relative difference" << worst;
        QVERIFY(worst < 2e-6);
        // The original is left as it was.
        QCOMPARE(x.features[0], golden("wine_features.npy").features[0]);
    }

    void constantColumnsAndNewRows() {
        // Column 0 constant: scikit-learn keeps divisor 1, so it becomes 0 (standardize, min-max).
        const std::vector<float> X{5, 1, 5, 3, 5, 5};
        for (const Preprocess k : {Preprocess::Standardize, Preprocess::MinMax}) {
            const PreprocessFit fit = fit_preprocess(X.data(), 3, 2, k);
            QCOMPARE(fit.divisor[0], 1.0);
            std::vector<float> y = X;
            apply_preprocess(fit, y.data(), 3);
            QCOMPARE(y[0], 0.0f);
            QCOMPARE(y[2], 0.0f);
            // A new row goes through the fitted scaling, not a scaling of its own.
            std::vector<float> fresh{5, 7};
            apply_preprocess(fit, fresh.data(), 1);
            QCOMPARE(fresh[0], 0.0f);
            const double want = k == Preprocess::MinMax ? 1.5 : (7.0 - 3.0) / std::sqrt(8.0 / 3.0);
            QVERIFY(std::abs(double(fresh[1]) - want) < 1e-6);
        }
    }

    void log1pDomainIsChecked() {
        const std::vector<float> X{0, 2, -1.5f, 3};
        const std::vector<std::string> names{"count", "reads"};
        try {
            fit_preprocess(X.data(), 2, 2, Preprocess::Log1p, &names);
            QFAIL("accepted");
        } catch (const std::invalid_argument& e) {
            const std::string m = e.what();
            QVERIFY2(m.find("'count'") != std::string::npos && m.find("row 2") != std::string::npos, e.what());
        }
        const PreprocessFit ok = fit_preprocess(X.data(), 1, 2, Preprocess::Log1p);
        std::vector<float> bad{-2, 0};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, apply_preprocess(ok, bad.data(), 1));
        QVERIFY(!parse_preprocess("zscore").has_value());
    }

    void sameResultWithOneOrTwoThreads() {
        const Dataset x = golden("wine_features.npy");
        omp_set_num_threads(1);
        const Dataset one = preprocessed(x, Preprocess::Standardize);
        omp_set_num_threads(2);
        const Dataset two = preprocessed(x, Preprocess::Standardize);
        QVERIFY(std::equal(one.features.begin(), one.features.end(), two.features.begin()));
    }
};

QTEST_GUILESS_MAIN(TstPreprocess)
#include "tst_preprocess.moc"
