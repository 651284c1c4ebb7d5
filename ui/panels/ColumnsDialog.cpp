#include "panels/ColumnsDialog.h"

#include "session/Session.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>
#include <stdexcept>

namespace latentscape::ui {
namespace {

const char* const kRememberedKey = "columnRoles";  // QVariantMap: absolute path -> JSON load options
constexpr std::int64_t kInspectRows = 2000;

enum ColumnsCol { NameCol, TypeCol, MissingCol, RoleCol };

QString absolutePath(const QString& path) { return QFileInfo(path).absoluteFilePath(); }

std::string nativePath(const QString& path) { return QFile::encodeName(path).toStdString(); }

QString roleText(data::ColumnRole role) {
    switch (role) {
        case data::ColumnRole::Feature: return ColumnsDialog::tr("Feature");
        case data::ColumnRole::Label: return ColumnsDialog::tr("Label");
        case data::ColumnRole::Metadata: return ColumnsDialog::tr("Metadata");
        case data::ColumnRole::Ignore: return ColumnsDialog::tr("Ignored");
    }
    return {};
}

QString typeText(const data::ColumnInfo& c) {
    const QString values = c.distinct > data::distinct_cap ? ColumnsDialog::tr("over %1 values").arg(data::distinct_cap)
                                                            : c.distinct == 1 ? ColumnsDialog::tr("1 value")
                                                                              : ColumnsDialog::tr("%1 values").arg(c.distinct);
    QString text = c.numeric ? (c.integral ? ColumnsDialog::tr("integers, %1").arg(values) : ColumnsDialog::tr("numbers"))
                             : ColumnsDialog::tr("text, %1").arg(values);
    if (c.looks_like_class) text += ColumnsDialog::tr(" — looks like a class");
    return text;
}

bool isTextTable(const QString& path) {
    try {
        const std::string format = data::detect_format(nativePath(path));
        return format == "csv" || format == "tsv";
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

ColumnsDialog::ColumnsDialog(const QString& path, const data::LoadOptions& options, QWidget* parent)
    : QDialog(parent), m_path(path), m_base(options) {
    setObjectName(QStringLiteral("columnsDialog"));
    setWindowTitle(tr("Columns of %1").arg(QFileInfo(path).fileName()));

    m_delimiter = new QComboBox;
    m_delimiter->setObjectName(QStringLiteral("delimiter"));
    m_delimiter->addItem(tr("Detect"), QString());
    m_delimiter->addItem(tr("Comma ( , )"), QStringLiteral(","));
    m_delimiter->addItem(tr("Tab"), QStringLiteral("\t"));
    m_delimiter->addItem(tr("Semicolon ( ; )"), QStringLiteral(";"));
    m_delimiter->addItem(tr("Pipe ( | )"), QStringLiteral("|"));
    m_delimiter->addItem(tr("Spaces and tabs (whitespace)"), QStringLiteral(" "));
    if (options.delimiter) {
        const int at = m_delimiter->findData(QString(QChar::fromLatin1(*options.delimiter)));
        if (at >= 0) m_delimiter->setCurrentIndex(at);
    }
    m_header = new QComboBox;
    m_header->setObjectName(QStringLiteral("header"));
    m_header->addItem(tr("Detect"), int(data::HeaderMode::Auto));
    m_header->addItem(tr("First row is the header"), int(data::HeaderMode::Present));
    m_header->addItem(tr("No header"), int(data::HeaderMode::Absent));
    m_header->setCurrentIndex(m_header->findData(int(options.header)));
    m_skipRows = new QSpinBox;
    m_skipRows->setObjectName(QStringLiteral("skipRows"));
    m_skipRows->setRange(0, 1000000);
    m_skipRows->setValue(int(options.skip_rows));
    m_skipRows->setToolTip(tr("Lines before the table to leave out (a preamble)"));
    m_comment = new QLineEdit(options.comment ? QString(QChar::fromLatin1(*options.comment)) : QString());
    m_comment->setObjectName(QStringLiteral("comment"));
    m_comment->setMaxLength(1);
    m_comment->setMaximumWidth(40);
    m_comment->setToolTip(tr("Lines starting with this character are comments; empty: none"));

    auto* layout = new QFormLayout;
    layout->addRow(tr("&Delimiter:"), m_delimiter);
    layout->addRow(tr("&Header:"), m_header);
    layout->addRow(tr("Rows to &skip:"), m_skipRows);
    layout->addRow(tr("&Comment character:"), m_comment);

    m_columns = new QTableWidget(0, 4);
    m_columns->setObjectName(QStringLiteral("columnsTable"));
    m_columns->setHorizontalHeaderLabels({tr("Column"), tr("Detected type"), tr("Missing"), tr("Role")});
    m_columns->horizontalHeader()->setSectionResizeMode(TypeCol, QHeaderView::Stretch);
    m_columns->verticalHeader()->hide();
    m_columns->setSelectionMode(QAbstractItemView::NoSelection);
    m_columns->setEditTriggers(QAbstractItemView::NoEditTriggers);

    m_preview = new QTableWidget;
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->setMaximumHeight(200);

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Load"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* main = new QVBoxLayout(this);
    main->addLayout(layout);
    main->addWidget(new QLabel(tr("Columns (a label colours the points and scores clusters; metadata and "
                                  "ignored columns are not features):")));
    main->addWidget(m_columns, 2);
    main->addWidget(new QLabel(tr("First rows:")));
    main->addWidget(m_preview, 1);
    main->addWidget(m_summary);
    main->addWidget(m_buttons);
    resize(720, 640);

    for (QComboBox* box : {m_delimiter, m_header})
        connect(box, &QComboBox::currentIndexChanged, this, &ColumnsDialog::reinspect);
    connect(m_skipRows, &QSpinBox::valueChanged, this, &ColumnsDialog::reinspect);
    connect(m_comment, &QLineEdit::textChanged, this, &ColumnsDialog::reinspect);

    // The roles asked for first, over what this layout detects.
    reinspect();
    for (const auto& [name, role] : options.roles) setRole(QString::fromStdString(name), role);
}

data::LoadOptions ColumnsDialog::layoutOptions() const {
    data::LoadOptions o = m_base;
    o.roles.clear();
    const QString delimiter = m_delimiter->currentData().toString();
    if (delimiter.isEmpty()) o.delimiter.reset();
    else o.delimiter = char(delimiter[0].unicode());
    o.header = data::HeaderMode(m_header->currentData().toInt());
    o.skip_rows = m_skipRows->value();
    const QString comment = m_comment->text();
    if (comment.isEmpty() || comment[0].unicode() > 126) o.comment.reset();
    else o.comment = char(comment[0].unicode());
    return o;
}

data::LoadOptions ColumnsDialog::options() const {
    data::LoadOptions o = layoutOptions();
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        const auto role = data::ColumnRole(roleCombo(row)->currentData().toInt());
        if (std::size_t(row) < m_automatic.size() && role != m_automatic[std::size_t(row)])
            o.roles[m_columns->item(row, NameCol)->text().toStdString()] = role;
    }
    return o;
}

void ColumnsDialog::reinspect() {
    // Keep the roles chosen for columns that are still there (a new delimiter renames them all).
    std::map<QString, data::ColumnRole> chosen;
    for (int row = 0; row < m_columns->rowCount(); ++row)
        chosen[m_columns->item(row, NameCol)->text()] = data::ColumnRole(roleCombo(row)->currentData().toInt());
    const std::vector<data::ColumnRole> previousAutomatic = m_automatic;

    m_error.clear();
    try {
        m_inspection = data::inspect_columns(nativePath(m_path), layoutOptions(), kInspectRows, 8);
    } catch (const std::exception& e) {
        m_inspection = {};
        m_error = QString::fromStdString(e.what());
    }
    m_automatic.clear();
    for (const auto& c : m_inspection.columns) m_automatic.push_back(c.role);

    m_filling = true;
    m_columns->setRowCount(0);
    m_columns->setRowCount(int(m_inspection.columns.size()));
    for (int row = 0; row < int(m_inspection.columns.size()); ++row) {
        const data::ColumnInfo& c = m_inspection.columns[std::size_t(row)];
        m_columns->setItem(row, NameCol, new QTableWidgetItem(QString::fromStdString(c.name)));
        m_columns->setItem(row, TypeCol, new QTableWidgetItem(typeText(c)));
        m_columns->setItem(row, MissingCol, new QTableWidgetItem(QLocale().toString(qlonglong(c.missing))));
        auto* combo = new QComboBox;
        combo->setObjectName(QStringLiteral("role_") + QString::fromStdString(c.name));
        for (auto role : {data::ColumnRole::Feature, data::ColumnRole::Label, data::ColumnRole::Metadata,
                          data::ColumnRole::Ignore})
            combo->addItem(roleText(role), int(role));
        // Text cannot be a feature: offer only what the loader accepts.
        if (!c.numeric)
            if (auto* model = qobject_cast<QStandardItemModel*>(combo->model())) model->item(0)->setEnabled(false);
        combo->setCurrentIndex(combo->findData(int(c.role)));
        m_columns->setCellWidget(row, RoleCol, combo);
        connect(combo, &QComboBox::currentIndexChanged, this, [this, combo] {
            for (int r = 0; r < m_columns->rowCount(); ++r)
                if (roleCombo(r) == combo) roleChanged(r);
        });
    }
    m_columns->resizeColumnToContents(NameCol);
    m_columns->resizeColumnToContents(RoleCol);
    m_filling = false;
    // Choices made before the layout changed, where they still differ from the automatic role.
    for (int row = 0; row < m_columns->rowCount(); ++row) {
        const QString name = m_columns->item(row, NameCol)->text();
        const auto it = chosen.find(name);
        if (it == chosen.end()) continue;
        const bool wasAutomatic = std::size_t(row) < previousAutomatic.size() && previousAutomatic[std::size_t(row)] == it->second;
        if (!wasAutomatic) setRole(name, it->second);
    }

    // The preview: the first rows as this layout splits them.
    m_preview->clear();
    m_preview->setColumnCount(int(m_inspection.columns.size()));
    m_preview->setRowCount(int(m_inspection.preview.size()));
    QStringList headers;
    for (const auto& c : m_inspection.columns) headers << QString::fromStdString(c.name);
    m_preview->setHorizontalHeaderLabels(headers);
    for (int r = 0; r < int(m_inspection.preview.size()); ++r)
        for (int c = 0; c < int(m_inspection.preview[std::size_t(r)].size()) && c < m_preview->columnCount(); ++c)
            m_preview->setItem(r, c, new QTableWidgetItem(QString::fromStdString(m_inspection.preview[std::size_t(r)][std::size_t(c)])));
    m_preview->resizeColumnsToContents();
    roleChanged(-1);
}

void ColumnsDialog::roleChanged(int row) {
    if (m_filling) return;
    if (row >= 0 && data::ColumnRole(roleCombo(row)->currentData().toInt()) == data::ColumnRole::Label) {
        // One label: the one chosen last.
        m_filling = true;
        for (int r = 0; r < m_columns->rowCount(); ++r)
            if (r != row && data::ColumnRole(roleCombo(r)->currentData().toInt()) == data::ColumnRole::Label)
                roleCombo(r)->setCurrentIndex(roleCombo(r)->findData(int(data::ColumnRole::Metadata)));
        m_filling = false;
    }
    int features = 0, meta = 0, ignored = 0;
    QString label;
    for (int r = 0; r < m_columns->rowCount(); ++r) {
        switch (data::ColumnRole(roleCombo(r)->currentData().toInt())) {
            case data::ColumnRole::Feature: ++features; break;
            case data::ColumnRole::Label: label = m_columns->item(r, NameCol)->text(); break;
            case data::ColumnRole::Metadata: ++meta; break;
            case data::ColumnRole::Ignore: ++ignored; break;
        }
    }
    QString text;
    if (!m_error.isEmpty()) {
        text = tr("<span style='color:#c0392b'>%1</span>").arg(m_error.toHtmlEscaped());
    } else {
        const QLocale locale;
        text = tr("%1 features, label: %2, %3 metadata, %4 ignored. %5 rows read%6.")
                   .arg(features)
                   .arg(label.isEmpty() ? tr("none") : QStringLiteral("“%1”").arg(label.toHtmlEscaped()))
                   .arg(meta)
                   .arg(ignored)
                   .arg(locale.toString(qlonglong(m_inspection.rows_read)))
                   .arg(m_inspection.complete ? tr(" (all)") : tr(" (the first)"));
        if (features == 0) text += tr(" <span style='color:#c0392b'>No feature column: mark at least one as a feature.</span>");
    }
    m_summary->setText(text);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_error.isEmpty() && features > 0);
}

QComboBox* ColumnsDialog::roleCombo(int row) const { return qobject_cast<QComboBox*>(m_columns->cellWidget(row, RoleCol)); }

int ColumnsDialog::rowOf(const QString& column) const {
    for (int row = 0; row < m_columns->rowCount(); ++row)
        if (m_columns->item(row, NameCol)->text() == column) return row;
    return -1;
}

QStringList ColumnsDialog::columnNames() const {
    QStringList names;
    for (int row = 0; row < m_columns->rowCount(); ++row) names << m_columns->item(row, NameCol)->text();
    return names;
}

QString ColumnsDialog::columnType(const QString& column) const {
    const int row = rowOf(column);
    return row < 0 ? QString() : m_columns->item(row, TypeCol)->text();
}

data::ColumnRole ColumnsDialog::role(const QString& column) const {
    const int row = rowOf(column);
    return row < 0 ? data::ColumnRole::Ignore : data::ColumnRole(roleCombo(row)->currentData().toInt());
}

bool ColumnsDialog::setRole(const QString& column, data::ColumnRole role) {
    const int row = rowOf(column);
    if (row < 0) return false;
    QComboBox* combo = roleCombo(row);
    const int index = combo->findData(int(role));
    const auto* model = qobject_cast<QStandardItemModel*>(combo->model());
    if (model && !model->item(index)->isEnabled()) return false;
    combo->setCurrentIndex(index);
    return true;
}

QString ColumnsDialog::errorText() const { return m_error; }

std::optional<data::LoadOptions> ColumnsDialog::remembered(const QString& path) {
    const QVariantMap all = QSettings().value(kRememberedKey).toMap();
    const auto it = all.find(absolutePath(path));
    if (it == all.end()) return std::nullopt;
    try {
        return loadOptionsFromJson(QJsonDocument::fromJson(it->toString().toUtf8()).object(), QStringLiteral("columnRoles"));
    } catch (const std::exception&) {
        return std::nullopt;  // written by a newer version, or damaged: as if never chosen
    }
}

void ColumnsDialog::remember(const QString& path, const data::LoadOptions& options) {
    QSettings settings;
    QVariantMap all = settings.value(kRememberedKey).toMap();
    all.insert(absolutePath(path), QString::fromUtf8(QJsonDocument(loadOptionsToJson(options)).toJson(QJsonDocument::Compact)));
    settings.setValue(kRememberedKey, all);
}

void ColumnsDialog::forget(const QString& path) {
    QSettings settings;
    QVariantMap all = settings.value(kRememberedKey).toMap();
    all.remove(absolutePath(path));
    settings.setValue(kRememberedKey, all);
}

QString suggestedLabelColumn(const QString& path, const data::LoadOptions& options) {
    if (!isTextTable(path) || options.label) return {};
    try {
        const data::TableInspection inspection = data::inspect_columns(nativePath(path), options, kInspectRows, 0);
        const int column = data::suggested_label_column(inspection);
        return column < 0 ? QString() : QString::fromStdString(inspection.columns[std::size_t(column)].name);
    } catch (const std::exception&) {
        return {};  // the loader will say what is wrong
    }
}

}  // namespace latentscape::ui
