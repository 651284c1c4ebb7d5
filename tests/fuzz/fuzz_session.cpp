// libFuzzer target: the session file reader (ui/session, Qt Core JSON) on arbitrary bytes. The
// sidecars it names do not exist: what is fuzzed is the JSON's structure and values.
#include "fuzz_file.h"

#include "session/Session.h"

#include <QCoreApplication>
#include <QString>

#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = fuzz::write_input(data, size, ".latentscape");
    try {
        (void)latentscape::ui::readSession(QString::fromStdString(path));
    } catch (const std::exception&) {
    }
    return 0;
}
