// Column roles (issue 15): LoadOptions::roles make a numeric class column the label (not a
// feature), keep columns as metadata or drop them, and refuse what cannot work with a message
// naming the column; inspect_columns describes a table's columns cheaply for the GUI's dialog.
#include "common/error.h"
#include "data/columns.h"
#include "data/load.h"

#include <QtTest>

#include <algorithm>

using namespace latentscape;
using namespace latentscape::data;

class TstRoles : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    const std::string m_wine = LATENTSCAPE_TEST_DATA "/text/wine_data.csv";          // class last, no header
    const std::string m_cultivar = LATENTSCAPE_TEST_DATA "/text/wine_cultivar.csv";  // UCI: class first, named

    std::string write(const QString& name, const QByteArray& bytes) {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
        f.write(bytes);
        return path.toStdString();
    }
    static LoadOptions wineOptions() {
        LoadOptions o;
        o.skip_rows = 1;  // "178,13,class_0,class_1,class_2": a preamble
        return o;
    }
    static QString messageOf(const std::function<void()>& f) {
        try {
            f();
        } catch (const LoadError& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }

private slots:
    void withoutRolesTheClassIsAFeature() {
        // The trial's problem: nothing marks col14 as the class, so it is the 14th feature.
        const Dataset ds = load(m_wine, wineOptions());
        QCOMPARE(ds.d, 14);
        QVERIFY(!ds.label());
    }

    void labelRoleMakesTheClassTheLabel() {
        LoadOptions o = wineOptions();
        o.roles["col14"] = ColumnRole::Label;
        const Dataset ds = load(m_wine, o);
        QCOMPARE(ds.n, 178);
        QCOMPARE(ds.d, 13);
        QCOMPARE(ds.feature_names.back(), std::string("col13"));
        QVERIFY(ds.label());
        QCOMPARE(ds.label()->name, std::string("col14"));
        QCOMPARE(ds.label()->kind, ColumnKind::Categorical);
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"0", "1", "2"}));
        // 59 / 71 / 48 rows per cultivar, in file order.
        std::vector<int> counts(3, 0);
        for (std::int32_t c : ds.label()->codes) ++counts[std::size_t(c)];
        QCOMPARE(counts, (std::vector<int>{59, 71, 48}));
        QCOMPARE(ds.label()->codes.front(), 0);
        QCOMPARE(ds.label()->codes.back(), 2);
        // The features are the first 13 columns, unchanged.
        QCOMPARE(ds.at(0, 0), 14.23f);
        QCOMPARE(ds.at(0, 12), 1065.0f);
    }

    void namedClassColumnFirst() {
        LoadOptions o;
        o.roles["cultivar"] = ColumnRole::Label;
        const Dataset ds = load(m_cultivar, o);
        QCOMPARE(ds.d, 13);
        QCOMPARE(ds.feature_names.front(), std::string("alcohol"));
        QCOMPARE(ds.label()->name, std::string("cultivar"));
        QCOMPARE(ds.label()->categories, (std::vector<std::string>{"1", "2", "3"}));
        QCOMPARE(ds.at(0, 0), 14.23f);
    }

    void metadataAndIgnore() {
        LoadOptions o = wineOptions();
        o.roles["col14"] = ColumnRole::Metadata;
        o.roles["col1"] = ColumnRole::Ignore;
        o.roles["col13"] = ColumnRole::Metadata;
        const Dataset ds = load(m_wine, o);
        QCOMPARE(ds.d, 11);
        QCOMPARE(ds.feature_names.front(), std::string("col2"));
        QCOMPARE(ds.feature_names.back(), std::string("col12"));
        QVERIFY(!ds.find_metadata("col1"));
        QVERIFY(ds.find_metadata("col13"));
        QVERIFY(ds.find_metadata("col14"));
        // Proline has 121 distinct values in 178 rows: numeric metadata, not categories.
        QCOMPARE(ds.metadata[*ds.find_metadata("col13")].kind, ColumnKind::Numeric);
        QCOMPARE(ds.metadata[*ds.find_metadata("col13")].numbers[0], 1065.0);
        QCOMPARE(ds.at(0, 0), 1.71f);
    }

    void featureRoleOverridesAutomaticMetadata() {
        // 'id' is an index and 'target' a label by name: both can be made features.
        const auto path = write("ids.csv", "id,a,target\n1,0.5,3\n2,0.7,4\n3,0.1,3\n4,0.2,4\n");
        QCOMPARE(load(path).d, 1);
        LoadOptions o;
        o.roles["id"] = ColumnRole::Feature;
        o.roles["target"] = ColumnRole::Feature;
        const Dataset ds = load(path, o);
        QCOMPARE(ds.d, 3);
        QVERIFY(!ds.label());
    }

    void textLabelRole() {
        const auto path = write("iris.csv", "a,b,kind,species\n1,2,x,setosa\n3,4,y,virginica\n5,6,x,setosa\n");
        LoadOptions o;
        o.roles["kind"] = ColumnRole::Label;
        const Dataset ds = load(path, o);
        QCOMPARE(ds.label()->name, std::string("kind"));
        QCOMPARE(ds.d, 2);
        // The CLI's --label naming the same column agrees; another one is refused.
        o.label = "kind";
        QCOMPARE(load(path, o).label()->name, std::string("kind"));
        o.label = "species";
        QVERIFY(messageOf([&] { load(path, o); }).contains("has the label role"));
    }

    void errors() {
        LoadOptions o = wineOptions();
        o.roles["cultivar"] = ColumnRole::Label;  // no header: the columns are col1..col14
        const QString unknown = messageOf([&] { load(m_wine, o); });
        QVERIFY2(unknown.contains("'cultivar'") && unknown.contains("no such column") &&
                     unknown.contains("col1, col2") && unknown.contains("col14"),
                 qPrintable(unknown));
        QVERIFY(unknown.contains("wine_data.csv"));

        o.roles.clear();
        o.roles["col13"] = ColumnRole::Label;
        o.roles["col14"] = ColumnRole::Label;
        QVERIFY(messageOf([&] { load(m_wine, o); }).contains("two label columns"));

        const auto path = write("text.csv", "a,name\n1,ann\n2,bob\n");
        LoadOptions f;
        f.roles["name"] = ColumnRole::Feature;
        const QString text = messageOf([&] { load(path, f); });
        QVERIFY2(text.contains("column 'name' is marked as a feature but holds text"), qPrintable(text));

        // Every numeric column ignored: nothing left to reduce.
        LoadOptions none;
        none.roles["a"] = ColumnRole::Ignore;
        QVERIFY(messageOf([&] { load(path, none); }).contains("no numeric feature columns"));
    }

    void roleNames() {
        for (ColumnRole r : {ColumnRole::Feature, ColumnRole::Label, ColumnRole::Metadata, ColumnRole::Ignore})
            QCOMPARE(column_role_from_string(to_string(r)), std::optional(r));
        QCOMPARE(column_role_from_string("Ignored"), std::optional(ColumnRole::Ignore));
        QVERIFY(!column_role_from_string("colour"));
    }

    void inspectWine() {
        const TableInspection in = inspect_columns(m_wine, wineOptions());
        QCOMPARE(in.columns.size(), std::size_t(14));
        QVERIFY(!in.has_header);
        QVERIFY(in.complete);
        QCOMPARE(in.rows_read, 178);
        QCOMPARE(in.preview.size(), std::size_t(8));
        QCOMPARE(in.preview[0].front(), std::string("14.23"));
        const ColumnInfo& cls = in.columns.back();
        QCOMPARE(cls.name, std::string("col14"));
        QVERIFY(cls.numeric && cls.integral);
        QCOMPARE(cls.distinct, 3);
        QVERIFY(cls.looks_like_class);
        QCOMPARE(cls.role, ColumnRole::Feature);
        // Magnesium is integral too, but with 53 distinct values it is no class.
        QVERIFY(in.columns[4].integral);
        QVERIFY(in.columns[4].distinct > 30);
        QVERIFY(!in.columns[4].looks_like_class);
        for (std::size_t c = 0; c + 1 < 14; ++c) QVERIFY2(!in.columns[c].looks_like_class, in.columns[c].name.c_str());
        QCOMPARE(suggested_label_column(in), 13);

        // With the role given, the inspection says so and offers nothing more.
        LoadOptions o = wineOptions();
        o.roles["col14"] = ColumnRole::Label;
        const TableInspection labelled = inspect_columns(m_wine, o);
        QCOMPARE(labelled.columns.back().role, ColumnRole::Label);
        QCOMPARE(suggested_label_column(labelled), -1);
    }

    void inspectNamedAndCapped() {
        const TableInspection in = inspect_columns(m_cultivar);
        QVERIFY(in.has_header);
        QCOMPARE(in.columns.front().name, std::string("cultivar"));
        QVERIFY(in.columns.front().looks_like_class);
        QCOMPARE(suggested_label_column(in), 0);
        // Only the rows asked for are read.
        const TableInspection head = inspect_columns(m_cultivar, {}, 10, 3);
        QCOMPARE(head.rows_read, 10);
        QVERIFY(!head.complete);
        QCOMPARE(head.preview.size(), std::size_t(3));
        QCOMPARE(head.columns.front().distinct, 1);  // the first 10 rows are all cultivar 1
        // Text columns: a class-like name counts, distinct text is counted up to the cap.
        const auto path = write("species.csv", "a,b,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n");
        const TableInspection text = inspect_columns(path);
        QVERIFY(!text.columns[2].numeric);
        QCOMPARE(text.columns[2].distinct, 2);
        QVERIFY(text.columns[2].looks_like_class);
        QCOMPARE(text.columns[2].role, ColumnRole::Label);  // the loader's automatic label
        QCOMPARE(suggested_label_column(text), -1);
        // Only the head of a large file is read (2 x 70 + 64 lines); with two comment lines per
        // row that holds 67 rows, and row 67 opens a quoted field on the head's last line
        // (204) that closes beyond it: not an unterminated quote.
        QByteArray big = "a,b,note\n# made for tst_roles\n";
        for (int r = 0; r < 400; ++r)
            big += QByteArray::number(r) + "," + QByteArray::number(r % 4) +
                   (r == 67 ? ",\"two\nlines\"\n" : ",x\n") + "# c\n# c\n";
        const auto bigPath = write("big.csv", big);
        const TableInspection bigHead = inspect_columns(bigPath, {}, 70, 0);
        QCOMPARE(bigHead.rows_read, 67);
        QVERIFY(!bigHead.complete);
        QCOMPARE(bigHead.columns[1].distinct, 4);
        QCOMPARE(load(bigPath).n, 400);
        // A role for a column that is not there: not an error here (the dialog shows the file).
        LoadOptions stale;
        stale.roles["gone"] = ColumnRole::Label;
        QCOMPARE(inspect_columns(path, stale).columns.size(), std::size_t(3));
    }
};

QTEST_GUILESS_MAIN(TstRoles)
#include "tst_roles.moc"
