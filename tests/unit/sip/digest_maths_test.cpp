#include <doctest/doctest.h>

#include "dialtone/sip/digest.hpp"
#include "fake_digest_hash.hpp"

using namespace dialtone::sip;
using dialtone::sip::testing::SymbolicHash;

namespace {
DigestInput mufasa() {
    DigestInput in;
    in.username = "Mufasa";
    in.realm = "r";
    in.password = "pw";
    in.method = "INVITE";
    in.uri = "sip:u@h";
    in.nonce = "N";
    in.cnonce = "C";
    in.nc = 1;
    return in;
}
}  // namespace

TEST_CASE("digest: without qop the response is KD(H(A1), nonce:H(A2)) (RFC 2617 §3.2.2.1)") {
    SymbolicHash h;
    auto r = digest_response(h, mufasa());
    REQUIRE(r);
    CHECK(*r == "MD5(MD5(Mufasa:r:pw):N:MD5(INVITE:sip:u@h))");
}

TEST_CASE("digest: qop=auth adds nc, cnonce and qop (RFC 7616 §3.4.1)") {
    SymbolicHash h;
    auto in = mufasa();
    in.qop = Qop::Auth;
    in.nc = 2;
    auto r = digest_response(h, in);
    REQUIRE(r);
    CHECK(*r == "MD5(MD5(Mufasa:r:pw):N:00000002:C:auth:MD5(INVITE:sip:u@h))");
}

TEST_CASE("digest: qop=auth-int hashes the body into A2 (RFC 7616 §3.4.3)") {
    SymbolicHash h;
    auto in = mufasa();
    in.qop = Qop::AuthInt;
    in.body = "v=0";
    auto r = digest_response(h, in);
    REQUIRE(r);
    CHECK(*r == "MD5(MD5(Mufasa:r:pw):N:00000001:C:auth-int:MD5(INVITE:sip:u@h:MD5(v=0)))");
    in.body = "";
    r = digest_response(h, in);
    REQUIRE(r);
    CHECK(*r == "MD5(MD5(Mufasa:r:pw):N:00000001:C:auth-int:MD5(INVITE:sip:u@h:MD5()))");
}

TEST_CASE("digest: -sess folds nonce and cnonce into H(A1) (RFC 7616 §3.4.2)") {
    SymbolicHash h;
    auto in = mufasa();
    in.algorithm = DigestAlgorithm::Sha256Sess;
    in.qop = Qop::Auth;
    auto ha1 = digest_ha1(h, in);
    REQUIRE(ha1);
    CHECK(*ha1 == "SHA256(SHA256(Mufasa:r:pw):N:C)");
    auto r = digest_response(h, in);
    REQUIRE(r);
    CHECK(*r == "SHA256(SHA256(SHA256(Mufasa:r:pw):N:C):N:00000001:C:auth:SHA256(INVITE:sip:u@h))");
}

TEST_CASE("digest: each algorithm picks its hash function") {
    CHECK(hash_function(DigestAlgorithm::Md5) == HashFunction::Md5);
    CHECK(hash_function(DigestAlgorithm::Md5Sess) == HashFunction::Md5);
    CHECK(hash_function(DigestAlgorithm::Sha256Sess) == HashFunction::Sha256);
    CHECK(hash_function(DigestAlgorithm::Sha512_256) == HashFunction::Sha512_256);
    CHECK(hash_function(DigestAlgorithm::Sha512_256Sess) == HashFunction::Sha512_256);
    CHECK(is_session(DigestAlgorithm::Md5Sess));
    CHECK_FALSE(is_session(DigestAlgorithm::Sha512_256));
    SymbolicHash h;
    auto in = mufasa();
    in.algorithm = DigestAlgorithm::Sha512_256;
    auto r = digest_response(h, in);
    REQUIRE(r);
    CHECK(*r == "SHA512_256(SHA512_256(Mufasa:r:pw):N:SHA512_256(INVITE:sip:u@h))");
}

TEST_CASE("digest: a server's stored H(A1) gives the same response as the password") {
    SymbolicHash h;
    auto in = mufasa();
    in.algorithm = DigestAlgorithm::Md5Sess;
    in.qop = Qop::Auth;
    auto from_password = digest_response(h, in);
    auto ha1 = digest_session_ha1(h, in, "MD5(Mufasa:r:pw)");
    REQUIRE(ha1);
    auto from_ha1 = digest_response_from_ha1(h, in, *ha1);
    REQUIRE(from_password);
    REQUIRE(from_ha1);
    CHECK(*from_password == *from_ha1);
}

TEST_CASE("digest: userhash is H(username:realm) (RFC 7616 §3.4.4)") {
    SymbolicHash h;
    auto u = digest_userhash(h, DigestAlgorithm::Sha512_256Sess, "Mufasa", "r");
    REQUIRE(u);
    CHECK(*u == "SHA512_256(Mufasa:r)");
}

TEST_CASE("digest: a hash the provider refuses is an error, not a wrong response") {
    dialtone::sip::testing::UnavailableHash h;
    auto r = digest_response(h, mufasa());
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "MD5 is not available from OpenSSL");
}

TEST_CASE("verify_digest: a server accepts the right password and refuses a wrong one") {
    SymbolicHash h;
    DigestCredentials cr;
    cr.username = "Mufasa";
    cr.realm = "r";
    cr.nonce = "N";
    cr.uri = "sip:u@h";
    cr.qop = Qop::Auth;
    cr.cnonce = "C";
    cr.nc = 1;
    cr.response = "MD5(MD5(Mufasa:r:pw):N:00000001:C:auth:MD5(INVITE:sip:u@h))";
    auto good = verify_digest(h, cr, "Mufasa", "pw", "INVITE");
    REQUIRE(good);
    CHECK(*good);
    auto wrong_password = verify_digest(h, cr, "Mufasa", "px", "INVITE");
    REQUIRE(wrong_password);
    CHECK_FALSE(*wrong_password);
    auto wrong_method = verify_digest(h, cr, "Mufasa", "pw", "REGISTER");
    REQUIRE(wrong_method);
    CHECK_FALSE(*wrong_method);
    auto wrong_user = verify_digest(h, cr, "Simba", "pw", "INVITE");
    REQUIRE(wrong_user);
    CHECK_FALSE(*wrong_user);
}

TEST_CASE("verify_digest: userhash credentials are matched by H(username:realm)") {
    SymbolicHash h;
    DigestCredentials cr;
    cr.username = "MD5(Mufasa:r)";
    cr.userhash = true;
    cr.realm = "r";
    cr.nonce = "N";
    cr.uri = "sip:u@h";
    cr.response = "MD5(MD5(Mufasa:r:pw):N:MD5(BYE:sip:u@h))";
    auto ok = verify_digest(h, cr, "Mufasa", "pw", "BYE");
    REQUIRE(ok);
    CHECK(*ok);
    cr.userhash = false;
    auto plain = verify_digest(h, cr, "Mufasa", "pw", "BYE");
    REQUIRE(plain);
    CHECK_FALSE(*plain);
}

TEST_CASE("verify_digest: credentials that cannot be checked are errors") {
    SymbolicHash h;
    DigestCredentials cr;
    cr.username = "u";
    cr.realm = "r";
    cr.nonce = "N";
    cr.uri = "sip:x";
    cr.response = "00";
    cr.algorithm = "AKAv1-MD5";
    auto r = verify_digest(h, cr, "u", "pw", "REGISTER");
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "unsupported digest algorithm 'AKAv1-MD5'");
    cr.algorithm = "MD5-sess";
    r = verify_digest(h, cr, "u", "pw", "REGISTER");
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "MD5-sess credentials without cnonce");
}
