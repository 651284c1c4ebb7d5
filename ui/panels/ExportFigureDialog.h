#pragma once
/// @file File > Export Figure…: where to (the format follows the extension: .png, .svg, .pdf),
/// the size in pixels, the DPI, a transparent background and a title.

#include <QDialog>
#include <QSize>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace latentscape::ui {

class ExportFigureDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportFigureDialog(QWidget* parent = nullptr);

    QString path() const;
    void setPath(const QString& path);
    QSize outputSize() const;
    void setOutputSize(const QSize& size);
    int dpi() const;
    void setDpi(int dpi);
    bool transparent() const;
    void setTransparent(bool transparent);
    QString title() const;
    void setTitle(const QString& title);

private:
    void browse();
    void updateState();

    QLineEdit* m_path = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_height = nullptr;
    QSpinBox* m_dpi = nullptr;
    QCheckBox* m_transparent = nullptr;
    QLineEdit* m_title = nullptr;
    QLabel* m_note = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

}  // namespace latentscape::ui
