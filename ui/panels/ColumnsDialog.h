#pragma once
/// @file The Columns dialog (issue 15): every column of a text table with its detected type and a
/// role (feature / label / metadata / ignored), the table's layout (delimiter, header, rows to
/// skip, comment character) and a preview of its first rows, re-read as the layout changes. What
/// is chosen becomes data::LoadOptions; the choices are remembered per file (QSettings, keyed by
/// the absolute path) and applied when the file is opened again.

#include "data/columns.h"
#include "data/load.h"

#include <QDialog>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace latentscape::ui {

class ColumnsDialog : public QDialog {
    Q_OBJECT
public:
    /// Shows `path` as `options` read it (their roles preset; a role for a column that is not
    /// there is dropped).
    ColumnsDialog(const QString& path, const data::LoadOptions& options, QWidget* parent = nullptr);

    /// `options` with the layout and roles chosen here. Roles are written only for columns whose
    /// role differs from the automatic one, so the loader's defaults still apply to the rest.
    data::LoadOptions options() const;

    QString path() const { return m_path; }
    QStringList columnNames() const;
    /// The detected type shown for a column ("integer, 3 values", "numbers", "text, 2 values").
    QString columnType(const QString& column) const;
    data::ColumnRole role(const QString& column) const;
    /// Sets a column's role combo; a new Label turns the previous label into metadata.
    /// False when there is no such column.
    bool setRole(const QString& column, data::ColumnRole role);
    /// The error the file gives with the chosen layout ("" when it reads).
    QString errorText() const;

    /// The options remembered for `path` (by its absolute path), if any.
    static std::optional<data::LoadOptions> remembered(const QString& path);
    /// Remembers `options`' layout and roles for `path` (not the missing-value policy).
    static void remember(const QString& path, const data::LoadOptions& options);
    /// Forgets what was remembered for `path`.
    static void forget(const QString& path);

private:
    data::LoadOptions layoutOptions() const;
    void reinspect();
    void fillColumns(const data::LoadOptions& withRoles);
    int rowOf(const QString& column) const;
    QComboBox* roleCombo(int row) const;
    void roleChanged(int row);

    QString m_path;
    data::LoadOptions m_base;
    std::vector<data::ColumnRole> m_automatic;  // per column: the role without any chosen
    data::TableInspection m_inspection;
    QString m_error;
    bool m_filling = false;

    QComboBox* m_delimiter = nullptr;
    QComboBox* m_header = nullptr;
    QSpinBox* m_skipRows = nullptr;
    QLineEdit* m_comment = nullptr;
    QTableWidget* m_columns = nullptr;
    QTableWidget* m_preview = nullptr;
    QLabel* m_summary = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

/// "Column 'cultivar' looks like a class…": the column of `path` (read with `options`) worth
/// offering as the label, or "" (not a text table, unreadable, a label already chosen, or no
/// column that looks like a class). Reads at most the first 2,000 rows.
QString suggestedLabelColumn(const QString& path, const data::LoadOptions& options);

}  // namespace latentscape::ui
