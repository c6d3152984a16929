#include <CLI/CLI.hpp>
#include <iostream>

#include "dialtone/app/version.hpp"

int main(int argc, char** argv) {
    CLI::App app{"dialtone: a command-line SIP softphone"};
    app.set_version_flag("-V,--version", std::string(dialtone::app::version()));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    std::cout << app.help();
    return 0;
}
