// The absolute paths the tests need, from tests/CMakeLists.txt. Only this file is compiled with them (see
// test_support.hpp), so the other test objects do not depend on where the checkout lives.
#include "../test_support.hpp"

namespace egress::testing {

std::string source_dir() { return EGRESS_SOURCE_DIR; }

const char* egress_binary() { return EGRESS_BINARY; }

}  // namespace egress::testing
