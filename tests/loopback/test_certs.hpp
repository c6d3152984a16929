#pragma once
// Certificates made at test time with the openssl command line, once per process, in a
// temporary directory removed at exit: two unrelated CAs, a server certificate for localhost,
// 127.0.0.1 and ::1, one for another name only, and a client certificate.
#include <string>

namespace loopback {

struct TestCerts {
    std::string dir;
    std::string ca;            // "dialtone test CA"
    std::string other_ca;      // an unrelated CA
    std::string server_cert;   // by ca: DNS:localhost, IP:127.0.0.1, IP:::1
    std::string server_key;
    std::string wrong_name_cert;  // by ca: DNS:sip.example.test only
    std::string wrong_name_key;
    std::string client_cert;   // by ca: DNS:alice.example.test, clientAuth
    std::string client_key;
    std::string error;         // why making them failed; empty on success
};

const TestCerts& test_certs();

}  // namespace loopback
