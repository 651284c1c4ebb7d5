#include "panels/ExportFigureDialog.h"

#include "panels/FileDialogs.h"

#include "figure/FigureWriter.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace latentscape::ui {

ExportFigureDialog::ExportFigureDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Export Figure"));
    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("figurePath"));
    m_path->setMinimumWidth(360);
    m_path->setPlaceholderText(tr("figure.png, figure.svg or figure.pdf"));
    auto* browse = new QPushButton(tr("&Browse…"), this);
    browse->setObjectName(QStringLiteral("figureBrowse"));
    connect(browse, &QPushButton::clicked, this, &ExportFigureDialog::browse);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    const auto spin = [this](const char* name, int min, int max, const QString& suffix) {
        auto* s = new QSpinBox(this);
        s->setObjectName(QLatin1String(name));
        s->setRange(min, max);
        s->setSuffix(suffix);
        s->setGroupSeparatorShown(true);
        return s;
    };
    m_width = spin("figureWidth", 16, 20000, tr(" px"));
    m_height = spin("figureHeight", 16, 20000, tr(" px"));
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("\u00d7"), this));
    sizeRow->addWidget(m_height);
    sizeRow->addStretch(1);
    m_dpi = spin("figureDpi", 36, 2400, tr(" dpi"));
    m_dpi->setValue(300);
    m_dpi->setToolTip(tr("PNG: stored in the file. SVG and PDF: sets the page's physical size (pixels / DPI) and the "
                         "resolution of a rasterised point layer."));
    m_transparent = new QCheckBox(tr("&Transparent background"), this);
    m_transparent->setObjectName(QStringLiteral("figureTransparent"));
    m_title = new QLineEdit(this);
    m_title->setObjectName(QStringLiteral("figureTitle"));
    m_title->setPlaceholderText(tr("none"));
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("figureNote"));

    auto* form = new QFormLayout;
    // Rows holding a layout need a label with an explicit buddy for their mnemonic.
    auto* pathLabel = new QLabel(tr("&File:"), this);
    pathLabel->setBuddy(m_path);
    auto* sizeLabel = new QLabel(tr("&Size:"), this);
    sizeLabel->setBuddy(m_width);
    form->addRow(pathLabel, pathRow);
    form->addRow(sizeLabel, sizeRow);
    form->addRow(tr("&Resolution:"), m_dpi);
    form->addRow(tr("T&itle:"), m_title);
    form->addRow(QString(), m_transparent);
    form->addRow(QString(), m_note);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);
    connect(m_path, &QLineEdit::textChanged, this, &ExportFigureDialog::updateState);
    updateState();
}

void ExportFigureDialog::browse() {
    // A proposed name without a folder starts in the last folder used.
    const QString start = path().isEmpty() || QFileInfo(path()).isRelative() ? dialogStart(path()) : path();
    const QString chosen = QFileDialog::getSaveFileName(
        this, tr("Export Figure"), start, tr("PNG image (*.png);;SVG vector drawing (*.svg);;PDF document (*.pdf)"));
    if (chosen.isEmpty()) return;
    rememberFolder(chosen);
    setPath(chosen);
}

void ExportFigureDialog::updateState() {
    const auto format = figureFormat(path());
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(format.has_value());
    if (path().isEmpty()) m_note->setText(tr("The format follows the file's extension: .png, .svg or .pdf."));
    else if (!format) m_note->setText(tr("Unknown extension: use .png, .svg or .pdf."));
    else if (*format == FigureFormat::Png) m_note->setText(tr("PNG: a raster image of exactly this size."));
    else
        m_note->setText(tr("%1: axes, legend and title as vectors; points as circles, or as one embedded image above "
                           "50,000 points.")
                            .arg(*format == FigureFormat::Svg ? QStringLiteral("SVG") : QStringLiteral("PDF")));
}

QString ExportFigureDialog::path() const { return m_path->text().trimmed(); }
void ExportFigureDialog::setPath(const QString& path) { m_path->setText(path); }
QSize ExportFigureDialog::outputSize() const { return {m_width->value(), m_height->value()}; }
void ExportFigureDialog::setOutputSize(const QSize& size) {
    m_width->setValue(size.width());
    m_height->setValue(size.height());
}
int ExportFigureDialog::dpi() const { return m_dpi->value(); }
void ExportFigureDialog::setDpi(int dpi) { m_dpi->setValue(dpi); }
bool ExportFigureDialog::transparent() const { return m_transparent->isChecked(); }
void ExportFigureDialog::setTransparent(bool transparent) { m_transparent->setChecked(transparent); }
QString ExportFigureDialog::title() const { return m_title->text(); }
void ExportFigureDialog::setTitle(const QString& title) { m_title->setText(title); }

}  // namespace latentscape::ui
