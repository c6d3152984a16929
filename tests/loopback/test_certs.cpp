#include "test_certs.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <unistd.h>

namespace loopback {

namespace {

bool run(const std::string& command) {
    const std::string quiet = command + " >/dev/null 2>&1";
    return std::system(quiet.c_str()) == 0;
}

// A P-256 key and a certificate signed by `ca` with the given extensions.
bool issue(const std::string& dir, const std::string& name, const std::string& cn, const std::string& extensions,
           const std::string& ca) {
    const std::string base = dir + "/" + name;
    std::ofstream(base + ".ext") << extensions << "\n";
    return run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + base +
               ".key -out " + base + ".csr -subj '/CN=" + cn + "'") &&
           run("openssl x509 -req -in " + base + ".csr -CA " + dir + "/" + ca + ".pem -CAkey " + dir + "/" + ca +
               ".key -CAcreateserial -days 2 -sha256 -out " + base + ".pem -extfile " + base + ".ext");
}

bool make_ca(const std::string& dir, const std::string& name, const std::string& cn) {
    const std::string base = dir + "/" + name;
    return run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -sha256 -keyout " +
               base + ".key -out " + base + ".pem -subj '/CN=" + cn +
               "' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
}

struct Made {
    TestCerts certs;
    ~Made() {
        if (!certs.dir.empty()) {
            std::error_code ignored;
            std::filesystem::remove_all(certs.dir, ignored);
        }
    }
};

std::unique_ptr<Made> make() {
    auto made = std::make_unique<Made>();
    TestCerts& c = made->certs;
    std::string pattern = (std::filesystem::temp_directory_path() / "dialtone-certs-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        c.error = "cannot create a temporary directory";
        return made;
    }
    c.dir = pattern;
    const std::string& d = c.dir;
    const std::string server_usage = "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth,clientAuth\n";
    const bool ok = make_ca(d, "ca", "dialtone test CA") && make_ca(d, "other-ca", "unrelated test CA") &&
                    issue(d, "server", "localhost", server_usage + "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1", "ca") &&
                    issue(d, "wrong-name", "sip.example.test", server_usage + "subjectAltName=DNS:sip.example.test", "ca") &&
                    issue(d, "client", "alice.example.test",
                          "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:alice.example.test", "ca");
    if (!ok) {
        c.error = "the openssl command failed to make test certificates in " + d;
        return made;
    }
    c.ca = d + "/ca.pem";
    c.other_ca = d + "/other-ca.pem";
    c.server_cert = d + "/server.pem";
    c.server_key = d + "/server.key";
    c.wrong_name_cert = d + "/wrong-name.pem";
    c.wrong_name_key = d + "/wrong-name.key";
    c.client_cert = d + "/client.pem";
    c.client_key = d + "/client.key";
    return made;
}

}  // namespace

const TestCerts& test_certs() {
    static const std::unique_ptr<Made> made = make();
    return made->certs;
}

}  // namespace loopback
