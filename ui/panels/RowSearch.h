#pragma once
/// @file Find rows by a metadata value: the search behind the Selection dock's Find bar. Kept
/// apart from the dock so that it can be timed and tested without widgets.

#include "data/dataset.h"
#include "select/selection.h"

#include <QString>

namespace latentscape::ui {

/// The column of `findRows` that searches the row ids (Dataset::row_id) instead of a metadata column.
inline constexpr int idSearchColumn = -1;

struct RowSearchResult {
    select::Selection rows;  ///< matching rows (a selection of dataset.n rows); empty on error
    QString error;           ///< a readable reason when the pattern is not valid
};

/// Rows of `dataset` whose cell in `column` (a metadata index, or idSearchColumn) matches
/// `pattern`, ignoring case. Plain text must equal the whole cell as the table shows it (numbers
/// also match by value: "3" finds 3.0); a regular expression may match anywhere in the cell (anchor
/// it with ^...$ for whole cells). Missing cells are the empty string. Categorical columns are
/// matched once per category, not per row, so the cost is one pass over the codes.
RowSearchResult findRows(const data::Dataset& dataset, int column, const QString& pattern, bool regex);

/// A number as the selection table shows it: integers in full, other values to 6 significant digits.
QString formatNumber(double value);

}  // namespace latentscape::ui
