#include "panels/SelectionTableModel.h"

#include "panels/RowSearch.h"
#include "vtk/ColorMaps.h"

#include <QCoreApplication>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace latentscape::ui {

SelectionTableModel::SelectionTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void SelectionTableModel::setDataset(std::shared_ptr<const data::Dataset> dataset) {
    beginResetModel();
    m_dataset = std::move(dataset);
    m_rows.clear();
    m_columns.clear();
    m_numericIds = -1;
    m_idNumbers.clear();
    if (m_dataset) {
        const data::Dataset& ds = *m_dataset;
        std::vector<bool> used(ds.metadata.size(), false);
        m_columns.push_back({Kind::Id, 0, tr("id")});
        const auto addMetadata = [&](std::size_t c, const QString& title) {
            used[c] = true;
            m_columns.push_back({Kind::Metadata, c, title});
        };
        // The columns a user looks at first, in a fixed order; the rest as the file has them.
        if (ds.label_column && *ds.label_column < ds.metadata.size())
            addMetadata(*ds.label_column, QString::fromStdString(ds.metadata[*ds.label_column].name));
        if (const auto c = ds.find_metadata("cluster"); c && !used[*c]) addMetadata(*c, tr("cluster"));
        if (const auto c = ds.find_metadata("groups"); c && !used[*c]) addMetadata(*c, tr("group"));
        for (std::size_t c = 0; c < ds.metadata.size(); ++c)
            if (!used[c]) addMetadata(c, QString::fromStdString(ds.metadata[c].name));
        const auto features = std::min<std::int64_t>(ds.d, maxFeatureColumns);
        for (std::int64_t j = 0; j < features; ++j) {
            const QString name = std::size_t(j) < ds.feature_names.size() ? QString::fromStdString(ds.feature_names[std::size_t(j)])
                                                                          : tr("feature %1").arg(j);
            m_columns.push_back({Kind::Feature, std::size_t(j), name});
        }
    }
    endResetModel();
}

void SelectionTableModel::setSelection(const select::Selection& selection) {
    beginResetModel();
    if (m_dataset && selection.size() == m_dataset->n) m_rows = selection.ids();
    else m_rows.clear();
    endResetModel();
}

int SelectionTableModel::modelRow(std::int64_t row) const {
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), row);
    return it != m_rows.end() && *it == row ? int(it - m_rows.begin()) : -1;
}

int SelectionTableModel::columnOf(const QString& title) const {
    for (std::size_t c = 0; c < m_columns.size(); ++c)
        if (m_columns[c].title == title) return int(c);
    return -1;
}

int SelectionTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SelectionTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_columns.size());
}

QString SelectionTableModel::cellText(std::int64_t row, const Column& column) const {
    const data::Dataset& ds = *m_dataset;
    switch (column.kind) {
    case Kind::Id: return QString::fromStdString(ds.row_id(row));
    case Kind::Feature: return QString::number(ds.at(row, std::int64_t(column.index)), 'g', 5);
    case Kind::Metadata: {
        const data::MetadataColumn& meta = ds.metadata[column.index];
        // value_string writes numbers with 17 digits (for export); the table uses the short form.
        if (meta.kind == data::ColumnKind::Numeric) return formatNumber(meta.numbers[std::size_t(row)]);
        return QString::fromStdString(meta.value_string(std::size_t(row)));
    }
    }
    return {};
}

QVariant SelectionTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_dataset || index.row() >= int(m_rows.size()) || index.column() >= int(m_columns.size()))
        return {};
    const std::int64_t row = m_rows[std::size_t(index.row())];
    const Column& column = m_columns[std::size_t(index.column())];
    switch (role) {
    case Qt::DisplayRole: return cellText(row, column);
    case RowRole: return qlonglong(row);
    case Qt::DecorationRole:
        // Categories carry their plot colour, so the table reads like the legend.
        if (column.kind == Kind::Metadata) {
            const data::MetadataColumn& meta = m_dataset->metadata[column.index];
            if (meta.kind == data::ColumnKind::Categorical) {
                const std::int32_t code = meta.codes[std::size_t(row)];
                if (code >= 0) return categoricalColor(code, int(meta.categories.size())).toQColor();
            }
        }
        return {};
    case Qt::TextAlignmentRole: {
        const bool number = column.kind == Kind::Feature ||
                            (column.kind == Kind::Metadata &&
                             m_dataset->metadata[column.index].kind == data::ColumnKind::Numeric);
        return number ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    }
    default: return {};
    }
}

QVariant SelectionTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= int(m_columns.size()))
        return QAbstractTableModel::headerData(section, orientation, role);
    const Column& column = m_columns[std::size_t(section)];
    if (role == Qt::DisplayRole) return column.title;
    if (role == Qt::ToolTipRole) {
        switch (column.kind) {
        case Kind::Id: return tr("The row's id (its number when the file has no ids)");
        case Kind::Feature: return tr("Feature %1 (one of the first %2 features)").arg(column.index).arg(maxFeatureColumns);
        case Kind::Metadata:
            return tr("Metadata column \"%1\" (%2)")
                .arg(QString::fromStdString(m_dataset->metadata[column.index].name),
                     QString::fromLatin1(data::to_string(m_dataset->metadata[column.index].kind)));
        }
    }
    return {};
}

bool SelectionTableModel::idsAreNumbers() const {
    if (m_numericIds < 0) {
        const auto& ids = m_dataset->row_ids;
        m_idNumbers.resize(ids.size());
        m_numericIds = 1;
        for (std::size_t i = 0; i < ids.size() && m_numericIds; ++i) {
            const std::string& s = ids[i];
            const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), m_idNumbers[i]);
            if (error != std::errc() || end != s.data() + s.size() || s.empty()) m_numericIds = 0;
        }
        if (!m_numericIds) m_idNumbers.clear();
    }
    return m_numericIds == 1;
}

bool SelectionTableModel::lessThan(int a, int b, int columnIndex) const {
    const std::int64_t ra = m_rows[std::size_t(a)], rb = m_rows[std::size_t(b)];
    const Column& column = m_columns[std::size_t(columnIndex)];
    const data::Dataset& ds = *m_dataset;
    // Missing values last, whatever their raw representation.
    const auto numbers = [](double x, double y) {
        if (std::isnan(x)) return false;
        if (std::isnan(y)) return true;
        return x < y;
    };
    switch (column.kind) {
    case Kind::Id:
        if (ds.row_ids.empty()) return ra < rb;
        if (idsAreNumbers()) return m_idNumbers[std::size_t(ra)] < m_idNumbers[std::size_t(rb)];
        return ds.row_ids[std::size_t(ra)] < ds.row_ids[std::size_t(rb)];
    case Kind::Feature:
        return numbers(ds.at(ra, std::int64_t(column.index)), ds.at(rb, std::int64_t(column.index)));
    case Kind::Metadata: {
        const data::MetadataColumn& meta = ds.metadata[column.index];
        switch (meta.kind) {
        case data::ColumnKind::Categorical: {
            const auto ca = std::uint32_t(meta.codes[std::size_t(ra)]), cb = std::uint32_t(meta.codes[std::size_t(rb)]);
            return ca < cb;  // -1 (missing) becomes the largest unsigned value: last
        }
        case data::ColumnKind::Numeric: return numbers(meta.numbers[std::size_t(ra)], meta.numbers[std::size_t(rb)]);
        case data::ColumnKind::Text: {
            const std::string& x = meta.texts[std::size_t(ra)];
            const std::string& y = meta.texts[std::size_t(rb)];
            if (x.empty() != y.empty()) return y.empty();
            return x < y;
        }
        }
    }
    }
    return false;
}

bool SelectionSortProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    if (const auto* model = qobject_cast<const SelectionTableModel*>(sourceModel()))
        return model->lessThan(left.row(), right.row(), left.column());
    return QSortFilterProxyModel::lessThan(left, right);
}

}  // namespace latentscape::ui
