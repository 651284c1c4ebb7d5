#pragma once
/// @file The rows of a selection as a table: id, label, cluster, group, the other metadata
/// columns and the first features. Lazy: a cell is rendered only when the view asks for it, so a
/// selection of 70,000 rows costs one vector of row numbers, not 70,000 rows of strings. The sort
/// proxy compares the raw values (numbers as numbers) without building a QVariant per comparison.

#include "data/dataset.h"
#include "select/selection.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <cstdint>
#include <memory>
#include <vector>

namespace latentscape::ui {

class SelectionTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// Features shown after the metadata columns.
    static constexpr int maxFeatureColumns = 8;
    /// Qt::UserRole: the dataset row of a table row (qlonglong), for every column.
    static constexpr int RowRole = Qt::UserRole;

    explicit SelectionTableModel(QObject* parent = nullptr);

    /// A new dataset: new columns, no rows.
    void setDataset(std::shared_ptr<const data::Dataset> dataset);
    /// The rows to list (a selection of the current dataset's rows; another size lists none).
    void setSelection(const select::Selection& selection);

    const std::shared_ptr<const data::Dataset>& dataset() const { return m_dataset; }
    /// Dataset rows in table (model) order: increasing.
    const std::vector<std::int64_t>& rows() const { return m_rows; }
    /// Model row of dataset row `row`, or -1 when it is not listed.
    int modelRow(std::int64_t row) const;
    std::int64_t datasetRow(int modelRow) const { return m_rows[std::size_t(modelRow)]; }
    /// Index of the column titled `title`, or -1.
    int columnOf(const QString& title) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Whether model row a sorts before model row b in `column`: numbers by value (missing last),
    /// categories in their legend (code) order (missing last), text and ids as text (ids made of
    /// numbers only as numbers).
    bool lessThan(int a, int b, int column) const;

private:
    enum class Kind { Id, Metadata, Feature };
    struct Column {
        Kind kind = Kind::Id;
        std::size_t index = 0;  // metadata column or feature
        QString title;
    };
    QString cellText(std::int64_t row, const Column& column) const;
    bool idsAreNumbers() const;

    std::shared_ptr<const data::Dataset> m_dataset;
    std::vector<Column> m_columns;
    std::vector<std::int64_t> m_rows;
    // Whether every row id is a number, decided at the first sort by id (-1: not yet known).
    mutable int m_numericIds = -1;
    mutable std::vector<double> m_idNumbers;
};

/// Sorts through SelectionTableModel::lessThan (a proxy over any other model sorts as usual).
class SelectionSortProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

}  // namespace latentscape::ui
