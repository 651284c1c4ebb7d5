// Text that leaves the program: printable() for messages (common/error.h) and the JSON writer
// (common/json.h, over nlohmann-json), read back with Qt's independent JSON parser (issue 16).
#include "common/error.h"
#include "common/json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <limits>
#include <string>

using namespace latentscape;

class TstTextOutput : public QObject {
    Q_OBJECT

private slots:
    void printableKeepsTextAndEscapesControls_data() {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<QByteArray>("out");
        QTest::newRow("plain") << QByteArray("col_1, 'x' \\ y") << QByteArray("col_1, 'x' \\ y");
        QTest::newRow("utf-8 kept") << QByteArray("Größe µm 日本 🙂") << QByteArray("Größe µm 日本 🙂");
        QTest::newRow("ansi escape") << QByteArray("\x1b[31mred") << QByteArray("\\x1b[31mred");
        QTest::newRow("nul does not cut") << QByteArray("a\0b", 3) << QByteArray("a\\x00b");
        QTest::newRow("newline, tab, cr, del") << QByteArray("a\nb\tc\rd\x7f") << QByteArray("a\\x0ab\\x09c\\x0dd\\x7f");
        QTest::newRow("invalid byte") << QByteArray("x\xffy") << QByteArray("x\\xffy");
        QTest::newRow("truncated sequence") << QByteArray("\xe6\x97") << QByteArray("\\xe6\\x97");
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << QByteArray("\\xc0\\xaf");
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QByteArray("\\xed\\xa0\\x80");
        QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << QByteArray("\\xf4\\x90\\x80\\x80");
        QTest::newRow("C1 control (CSI)") << QByteArray("\xc2\x9b" "2J") << QByteArray("\\xc2\\x9b2J");
        QTest::newRow("NBSP kept") << QByteArray("a\xc2\xa0" "b") << QByteArray("a\xc2\xa0" "b");
    }
    void printableKeepsTextAndEscapesControls() {
        QFETCH(QByteArray, in);
        QFETCH(QByteArray, out);
        const std::string got = printable(std::string_view(in.constData(), std::size_t(in.size())));
        QCOMPARE(QByteArray::fromStdString(got), out);
        QCOMPARE(printable(got), got);  // idempotent: escaping twice changes nothing
    }

    // LoadError shows the file's bytes printable in what() and cause(), and keeps the path as given.
    void loadErrorMessagesArePrintable() {
        const std::string path = std::string("da\x1b[1mta.csv");
        const LoadError e(path, std::string("not a number: '\x1b[2J\0x'", 22), 3);
        QCOMPARE(e.file(), path);
        QCOMPARE(std::string(e.what()), std::string("da\\x1b[1mta.csv:3: not a number: '\\x1b[2J\\x00x'"));
        QCOMPARE(e.cause(), std::string("not a number: '\\x1b[2J\\x00x'"));
    }

    void writerMakesValidJson() {
        json::Writer w;
        w.begin_object();
        w.key("path").value(std::string("dir/\"q\"\\b\x01\xff.csv"));
        w.key("n").value(std::int64_t(-12345678901234));
        w.key("x").value(0.1);
        w.key("nan").value(std::numeric_limits<double>::quiet_NaN());
        w.key("ok").value(true);
        w.key("none").null();
        w.key("list").begin_array().value(1).begin_object().key("k").value("v").end_object().begin_array().end_array().end_array();
        w.key("empty").begin_object().end_object();
        w.end_object();
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(w.str()), &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString() + ": " + QString::fromStdString(w.str())));
        const QJsonObject o = doc.object();
        QCOMPARE(o["path"].toString(), QString("dir/\"q\"\\b\x01") + QChar(0xFFFD) + ".csv");
        QCOMPARE(o["n"].toDouble(), -12345678901234.0);
        QCOMPARE(o["x"].toDouble(), 0.1);
        QVERIFY(o["nan"].isNull());
        QVERIFY(o["none"].isNull());
        QCOMPARE(o["ok"].toBool(), true);
        QCOMPARE(o["list"].toArray().size(), 3);
        QCOMPARE(o["list"].toArray()[1].toObject()["k"].toString(), QString("v"));
        QVERIFY(o["empty"].toObject().isEmpty());
        // Keys stay in the order written (readers of the CLI's output see them so).
        QCOMPARE(QString::fromStdString(w.str()).left(8), QString("{\"path\":"));
        QCOMPARE(QString::fromStdString(json::quote("a\"\n")), QString("\"a\\\"\\n\""));
    }

    void writerRefusesMisuse() {
        json::Writer w;
        w.begin_object();
        QVERIFY_THROWS_EXCEPTION(std::logic_error, w.value(1));  // a value without a key
        QVERIFY_THROWS_EXCEPTION(std::logic_error, w.end_array());
        w.end_object();
        QVERIFY_THROWS_EXCEPTION(std::logic_error, w.value(2));  // a second top-level value
    }
};

QTEST_GUILESS_MAIN(TstTextOutput)
#include "tst_text_output.moc"
