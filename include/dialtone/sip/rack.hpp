#pragma once
// RAck (RFC 3262 §7.2) lives with CSeq, whose grammar it extends.
#include "dialtone/sip/cseq.hpp"
