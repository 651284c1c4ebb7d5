#pragma once
/// @file Where file dialogs start: the folder of the last file opened or saved through any of the
/// window's dialogs (QSettings "lastDirectory", the key File > Open already used), so that Open,
/// Save Session, Export... do not each start in $HOME (or the working directory). Header-only.

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QString>

namespace latentscape::ui {

inline constexpr const char* kLastDirectoryKey = "lastDirectory";

/// The folder of the last file chosen in a file dialog, if it still exists; else $HOME.
inline QString lastFolder() {
    const QString folder = QSettings().value(QLatin1String(kLastDirectoryKey)).toString();
    return !folder.isEmpty() && QFileInfo(folder).isDir() ? folder : QDir::homePath();
}

/// Where a dialog starts: the last folder, with `fileName` proposed in it (save dialogs).
inline QString dialogStart(const QString& fileName = {}) {
    return fileName.isEmpty() ? lastFolder() : QDir(lastFolder()).filePath(QFileInfo(fileName).fileName());
}

/// Remembers the folder of `chosenPath` (a file a dialog returned; ignored when empty).
inline void rememberFolder(const QString& chosenPath) {
    if (chosenPath.isEmpty()) return;
    QSettings().setValue(QLatin1String(kLastDirectoryKey), QFileInfo(chosenPath).absolutePath());
}

}  // namespace latentscape::ui
