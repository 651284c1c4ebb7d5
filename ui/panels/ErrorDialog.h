#pragma once
/// @file The error box every failure shows (a file that cannot be read, an export that failed):
/// a QMessageBox whose text is never clipped. Error messages carry a path, an object inside the
/// file, a line and a cause; a path has no spaces, so a label wraps it nowhere and a fixed
/// minimum width (the old "QLabel { min-width: 520px }") cut it off. Here the message wraps at
/// path separators too (zero-width break opportunities, shown only), its width is bounded by the
/// screen, and a long message also comes whole and selectable under "Show Details...", where it
/// can be copied exactly. Header-only: any window can use it.

#include <QGuiApplication>

#include <algorithm>
#include <QLabel>
#include <QMessageBox>
#include <QScreen>
#include <QString>
#include <QWidget>

namespace latentscape::ui {

/// `message` with a zero-width space after each '/', '\\', '_', ',' and '.' that is followed by
/// more text, so that a label may break a long path there. For display only: copy the original.
inline QString wrappableText(const QString& message) {
    QString out;
    out.reserve(message.size() + message.size() / 8);
    for (int i = 0; i < message.size(); ++i) {
        const QChar c = message[i];
        out += c;
        const bool breakAfter = c == QLatin1Char('/') || c == QLatin1Char('\\') || c == QLatin1Char('_') ||
                                c == QLatin1Char(',') || c == QLatin1Char('.') || c == QLatin1Char(':');
        if (breakAfter && i + 1 < message.size() && !message[i + 1].isSpace()) out += QChar(0x200B);
    }
    return out;
}

/// Messages past this many characters (or of several lines) also come under "Show Details...".
constexpr int kErrorDetailsThreshold = 160;

/// A warning box titled `title`, saying `text` (one line: "Could not open “x.h5ad”.") and then
/// `message` (the cause), wrapped, selectable, no wider than about 60% of the screen; the whole
/// message also under "Show Details..." when it is long. Deleted on close; not shown yet (call
/// open() or exec()). `objectName` lets tests and the window find it.
inline QMessageBox* makeErrorBox(QWidget* parent, const QString& objectName, const QString& title, const QString& text,
                                 const QString& message) {
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, parent);
    box->setObjectName(objectName);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(wrappableText(message));
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (message.size() > kErrorDetailsThreshold || message.contains(QLatin1Char('\n'))) box->setDetailedText(message);
    // Room for a path and a cause on a line or two, bounded by the screen: the label wraps within it.
    const QScreen* screen = parent && parent->screen() ? parent->screen() : QGuiApplication::primaryScreen();
    const int screenWidth = screen ? screen->availableGeometry().width() : 1280;
    const int width = std::max(320, std::min(640, screenWidth * 6 / 10));
    if (auto* label = box->findChild<QLabel*>(QStringLiteral("qt_msgbox_informativelabel"))) {
        label->setWordWrap(true);
        label->setMinimumWidth(std::min(width, label->fontMetrics().horizontalAdvance(message) + 8));
        label->setMaximumWidth(width);
    }
    return box;
}

/// The message `box` shows in full (its details, else its informative text without the break
/// opportunities).
inline QString errorBoxMessage(const QMessageBox& box) {
    if (!box.detailedText().isEmpty()) return box.detailedText();
    QString text = box.informativeText();
    text.remove(QChar(0x200B));
    return text;
}

}  // namespace latentscape::ui
